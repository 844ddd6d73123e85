"""The ladder report: per rung, what was asked, what was measured, how it looks.

:func:`vod_testbed.report.build.build_report` makes one; ``vod-testbed report`` prints it;
the console shows it with a bit-rate chart per rung.
"""
