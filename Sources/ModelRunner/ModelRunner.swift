// Model runner: see README "For analysts".
