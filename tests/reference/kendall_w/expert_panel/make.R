# Reference for perfkit.cycle.evaluation.kendall_w / key_evaluation: Kendall's W with the
# correction for ties, on the indicator x expert matrix of score fractions (score / weight) of the
# simulated panel of ../../icc/expert_panel (same seed and code). The irr package is not installed,
# so W is computed by hand, W = 12 S / (m^2 (n^3 - n) - m sum_j T_j), T_j = sum (t^3 - t), and
# cross-checked against base R friedman.test (tie-corrected): W = chi2_F / (m (n - 1)).
# Run from this directory: Rscript make.R
suppressPackageStartupMessages(library(jsonlite))
set.seed(2024)
weight <- c(5, 5, 5, 7, 7, 6, 10, 10, 10, 10, 15, 10)
experts <- paste0("专家", 1:5)
q <- runif(length(weight), 0.55, 0.95)
b <- rnorm(length(experts), 0, 0.05)
f <- outer(q, b, "+") + matrix(rnorm(length(weight) * length(experts), 0, 0.06), length(weight))
f <- pmin(pmax(f, 0), 1)
s <- round(f * weight * 2) / 2
s <- pmin(pmax(s, 0), weight)
x <- s / weight
write.csv(data.frame(x), "fractions.csv", row.names = FALSE, quote = FALSE)
kendall <- function(x) {
  n <- nrow(x); m <- ncol(x)
  r <- apply(x, 2, rank)                       # mean ranks for ties
  R <- rowSums(r)
  S <- sum((R - mean(R))^2)
  Tj <- sum(apply(x, 2, function(v) { t <- table(v); sum(t^3 - t) }))
  W <- 12 * S / (m^2 * (n^3 - n) - m * Tj)
  chi2 <- m * (n - 1) * W
  list(w = W, chi2 = chi2, df = n - 1, p = pchisq(chi2, n - 1, lower.tail = FALSE), ties = Tj)
}
k <- kendall(x)
fr <- friedman.test(t(x))                      # rows of t(x) = blocks = experts; groups = indicators
stopifnot(abs(k$w - unname(fr$statistic) / (ncol(x) * (nrow(x) - 1))) < 1e-12)
k$friedman_chi2 <- unname(fr$statistic)
write(toJSON(k, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write(toJSON(list(method = "kendall_w", case = "expert_panel",
  tool = "R by hand (rank(), table()); checked against stats::friedman.test", R = R.version.string,
  inputs = "fractions.csv: 12 indicators x 5 experts, score / weight; the long sheet is ../../icc/expert_panel/expert_scores.csv",
  tolerance = list(rtol = 1e-9, atol = 1e-12),
  why = "closed form on ranks; only the last bits of sums differ"),
  auto_unbox = TRUE, pretty = TRUE), "meta.json")
