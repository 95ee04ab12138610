"""The exports of a region for a meeting (meeting.md): the one-page PDF, the 16:9 deck and the
static map picture they carry. Pure: they take the summary (:mod:`analysis.summary`), the
graph and return bytes; no browser, no database."""
