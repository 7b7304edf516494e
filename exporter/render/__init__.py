"""Models -> a Rendition: the theme's templates and styles, pages, assets and covers."""
