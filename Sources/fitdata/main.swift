print("fitdata")
