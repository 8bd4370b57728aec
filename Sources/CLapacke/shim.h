// LAPACK's C interface (Debian: liblapacke-dev; the runtime is liblapacke). Used by
// BreakwaterSystemic for symmetric eigenvalues (dsyevr) and Cholesky solves (dpotrf, dpotrs).
#include <lapacke.h>
