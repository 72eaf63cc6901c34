"""Every statutory clock as a row: started, due, met or stopped (issue 21; FD4, FD5, SM3, SM4,
EQ2, CP1, QA1). A shared mechanism: it knows no workflow; workflows write rows through
``services`` and register what their subjects are called (``subjects.register_subject``)."""
