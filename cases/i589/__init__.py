"""Form I-589 from a case's records: the data sheet's items (items.py), what is still
missing or looks wrong (readiness.py), the declaration draft (declaration.py), and the
sheet as a PDF (pdf.py). The item numbering follows the form's edition in EDITION."""

# The edition whose Part and item numbers the sheet uses (the edition date printed at the
# foot of each page of Form I-589).
EDITION = "03/01/23"
