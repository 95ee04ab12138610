"""UI pieces several pages share: session state, cached analysis, the map figure."""
