"""Finding a person from every page: coordinators type a name or a record number into the menu's
search box; each app that holds people (volunteers, newcomers) answers through PERSON_SEARCH."""
