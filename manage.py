#!/usr/bin/env python3
from uppsikt.cli import main

if __name__ == "__main__":
    main()
