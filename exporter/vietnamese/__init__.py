"""Vietnamese text: orthography, legacy encodings, punctuation, CLDR formats and collation.

Pure text functions; only ``normalize`` sees the models (``Bulletin -> Bulletin``).
"""
