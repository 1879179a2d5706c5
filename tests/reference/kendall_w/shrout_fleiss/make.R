# Reference for perfkit.cycle.evaluation.kendall_w on the Shrout & Fleiss (1979) Table 2 data
# (6 targets x 4 judges; judge 4 ties two targets), W with the correction for ties by hand,
# cross-checked against stats::friedman.test. Run from this directory: Rscript make.R
suppressPackageStartupMessages(library(jsonlite))
x <- matrix(c(9, 2, 5, 8,
              6, 1, 3, 2,
              8, 4, 6, 8,
              7, 1, 2, 6,
              10, 5, 6, 9,
              6, 2, 4, 7), ncol = 4, byrow = TRUE, dimnames = list(NULL, paste0("J", 1:4)))
write.csv(x, "input.csv", row.names = FALSE, quote = FALSE)
kendall <- function(x) {
  n <- nrow(x); m <- ncol(x)
  r <- apply(x, 2, rank)
  R <- rowSums(r)
  S <- sum((R - mean(R))^2)
  Tj <- sum(apply(x, 2, function(v) { t <- table(v); sum(t^3 - t) }))
  W <- 12 * S / (m^2 * (n^3 - n) - m * Tj)
  chi2 <- m * (n - 1) * W
  list(w = W, chi2 = chi2, df = n - 1, p = pchisq(chi2, n - 1, lower.tail = FALSE), ties = Tj,
       w_uncorrected = 12 * S / (m^2 * (n^3 - n)))
}
k <- kendall(x)
fr <- friedman.test(t(x))                      # blocks = judges, groups = targets
stopifnot(abs(k$w - unname(fr$statistic) / (ncol(x) * (nrow(x) - 1))) < 1e-12)
k$friedman_chi2 <- unname(fr$statistic)
write(toJSON(k, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write(toJSON(list(method = "kendall_w", case = "shrout_fleiss",
  tool = "R by hand (rank(), table()); checked against stats::friedman.test", R = R.version.string,
  inputs = "input.csv: Shrout & Fleiss (1979) Table 2, targets x judges",
  tolerance = list(rtol = 1e-9, atol = 1e-12),
  why = "closed form on ranks; only the last bits of sums differ"),
  auto_unbox = TRUE, pretty = TRUE), "meta.json")
