"""The preview: ``brandsite serve``'s HTTP server, the file watcher and the browser reload script."""
