"""The claim base and what is checked against it: known false claims, verified facts, releases.

records.py      a claim-base entry as plain values
base.py         import (JSON, CSV, ClaimReview) and export of the claim base, idempotent
claimreview.py  schema.org ClaimReview markup in a page → claim-base entries
terms.py        the token view of a text that matching and fact checks compare
matching.py     sentences that repeat or paraphrase a known false claim
facts.py        sentences that state another number, date or name than a verified fact
policy.py       config/flagging.toml: weights, thresholds, evidence rules
calibrate.py    fitting the combiner's weights (maintenance script)
build_idf.py    the syllable frequencies that weight claim terms (maintenance script)
reviews.py      analysts' decisions: precision by signal and source, training export
"""
