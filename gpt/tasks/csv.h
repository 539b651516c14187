// The quote-aware comma-separated dialect (RFC 4180) of the record reader.
#ifndef GPT1_CSV_H
#define GPT1_CSV_H

#include "gpt/tasks/record_buffer.h"

// The next record of a CSV buffer; READ_BAD_RECORD with `why` for a malformed quote.
ReadResult csv_read(RecordReader *reader, Record *record, char *why, size_t why_size);

#endif
