"""The writes that publish: ``publish`` (check an upload, publish it, roll it back, add an indicator; one
writer at a time, all or nothing, audited), ``chain_edits`` (planners' chain and plan edits from the app's
editors or an Excel workbook) and ``follow`` (each host rebuilds its warehouse when another host published).

May use: ``warehouse`` and everything below it; never views, reports or the UI.
"""
