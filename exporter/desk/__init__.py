"""The editor's desk: start an issue (``new``), bring articles into it (``import --into``).

Library code: returns result objects, never prints; ``exporter.cli`` is the face.
"""
