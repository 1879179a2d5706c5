# Reference for zero handling in perfkit.methods.lmdi (Ang & Liu 2007, Energy Policy 35: 238-246).
# Sub-sector "new" appears (its structure share is 0 in the base year), "closed" disappears
# (intensity 0 in the current year), "idle" is zero in both years, "steady" has no zeros.
# (a) the small-value strategy: every 0 replaced by delta, plain LMDI, for several delta;
# (b) the analytical limits as delta -> 0, written out case by case (see perfkit docstring).
suppressPackageStartupMessages(library(jsonlite))
source("../lmdi_common.R")
secs <- c("steady", "new", "closed", "idle")
x0 <- cbind(Q = c(100, 100, 100, 100), S = c(0.6, 0, 0.4, 0), I = c(2, 1, 3, 0))
xT <- cbind(Q = c(120, 120, 120, 120), S = c(0.7, 0.2, 0.1, 0), I = c(1.8, 1.2, 0, 0))
rownames(x0) <- rownames(xT) <- secs
fmt <- function(m) { d <- as.data.frame(m); d[] <- lapply(d, function(c) sprintf("%.17g", c)); d }
write.csv(fmt(x0), "input_base.csv", quote = FALSE)
write.csv(fmt(xT), "input_current.csv", quote = FALSE)
deltas <- c(1e-10, 1e-20, 1e-50, 1e-100)
small <- lapply(deltas, function(d) {
  a <- x0; b <- xT; a[a == 0] <- d; b[b == 0] <- d
  r <- lmdi_plain(a, b); list(delta = d, additive = r$additive, multiplicative = r$multiplicative)
})
# analytical limits, sub-sector by sub-sector
lim <- matrix(0, nrow(x0), ncol(x0), dimnames = dimnames(x0))
for (i in seq_len(nrow(x0))) {
  z0 <- x0[i, ] == 0; zT <- xT[i, ] == 0
  V0 <- prod(x0[i, ]); VT <- prod(xT[i, ])
  if (!any(z0) && !any(zT)) lim[i, ] <- L(VT, V0) * log(xT[i, ] / x0[i, ])
  else if (any(z0) && !any(zT)) lim[i, z0] <- VT / sum(z0)
  else if (!any(z0) && any(zT)) lim[i, zT] <- -V0 / sum(zT)
}
V0 <- sum(apply(x0, 1, prod)); VT <- sum(apply(xT, 1, prod))
out <- list(V0 = V0, VT = VT, limit_additive = as.list(colSums(lim)),
            limit_multiplicative = as.list(exp(colSums(lim) / L(VT, V0))),
            limit_detail = lapply(seq_len(nrow(lim)), function(i) as.list(lim[i, ])),
            small_value = small)
names(out$limit_detail) <- secs
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write_meta("zeros", "appearing, disappearing, always-zero and regular sub-sectors; delta series shows slow (1/|ln delta|) convergence to the limits",
           list(limit_rel = 1e-12, small_value_rel = 1e-9))
