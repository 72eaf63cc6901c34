"""Telling people things (FD5, IS1): in-app notifications with an email copy (break-glass
alerts, feedback to referrers), and the page that lists and marks them read.
"""
