"""Files of other tools in and out: BORIS, ELAN, GSEQ SDS and tidy spreadsheets."""
