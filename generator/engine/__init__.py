"""The engine: plan every output, render it, and write it: a full build, an update, a check or a preview rebuild."""
