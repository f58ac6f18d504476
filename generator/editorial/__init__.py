"""The editorial workflow around the site: new-story scaffolding, the calendar, value coverage.

Pure planning and counting (``planning``, ``coverage``) are kept apart from reading the project
(``project``) and from presenting the results (``text``, ``ics``, ``report_html``).
"""
