"""os2scan's reports: pandas summaries of a scan (`reports.summary`) rendered into every format
(`reports.render`), written into a folder by `reports.write.write_reports`.

Importing this package is cheap: pandas, matplotlib and the templates load only when a report
that needs them is rendered.
"""
