"""Stage 2, Markdown: story bodies → safe HTML, read as GitHub reads them, with the checks for slow or foreign markup."""
