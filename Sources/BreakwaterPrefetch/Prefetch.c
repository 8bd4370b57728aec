// The module's one function is `static inline` in its header; this file exists because
// SwiftPM builds a C target only from at least one source file.
#include "BreakwaterPrefetch.h"
