"""python -m exporter"""

from .cli import main

main()
