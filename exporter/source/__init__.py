"""Reading a bulletin folder: TOML and Markdown files -> validated models, every error at once."""
