"""The REST API (issue 16): the plans, their framework, periods and values for reading; the
quarterly workflow for writing, through the same services and the same door (tracker.access)
as the pages; the DHIS2, ADX and IATI exports of tracker.exchange. Personal tokens
(tracker.models.ApiToken) authenticate scripts; a signed-in browser uses its session."""
