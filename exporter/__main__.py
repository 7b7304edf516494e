"""python -m exporter"""

from .launch import main

main()
