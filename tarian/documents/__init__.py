"""Documents on a person's record (IS1, IS4): uploads checked by their content, kept
privately, downloaded with an audit record, archived with backups; their page, endpoints and
subject-access section.
"""
