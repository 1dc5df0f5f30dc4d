"""The `graph-api` command line (`main.app`); nothing else imports these modules."""
