"""The plan's figures for other systems (issue 16), as documents built by pure functions from
named reads (reads.py): DHIS2 dataValueSets JSON (dhis2.py), ADX XML (adx.py), IATI 2.03
activities XML (iati.py). Validated figures only; never an internal note. The API and the
plan's export page serve the same documents."""
