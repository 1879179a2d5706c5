# Reference for perfkit.methods.compare.wilcoxon_signed_rank — R stats::wilcox.test(x, y,
# paired = TRUE, exact = FALSE, correct = TRUE); zero differences are dropped by R.
# Matched-pairs rank-biserial r = (V - (S - V))/S, S = n(n+1)/2 over non-zero differences,
# computed by hand. Run from this directory: Rscript make.R
set.seed(11)
n <- 25
before <- round(runif(n, 60, 90))
after <- before + round(rnorm(n, 2, 4))      # integer data: ties in |d| and some zero differences
writeLines(c("after,before", sprintf("%d,%d", after, before)), "pairs.csv")
rb <- function(x, y, mu = 0) {
  d <- x - y - mu; d <- d[d != 0]; k <- length(d); S <- k * (k + 1) / 2
  V <- sum(rank(abs(d))[d > 0]); (V - (S - V)) / S
}
rows <- "scenario,alternative,mu,statistic,p_value,rank_biserial,n_zero"
for (alt in c("two.sided", "greater", "less")) {
  w <- wilcox.test(after, before, paired = TRUE, alternative = alt, exact = FALSE, correct = TRUE)
  nm <- c(two.sided = "two-sided", greater = "greater", less = "less")[[alt]]
  rows <- c(rows, paste(paste0("paired_", nm), nm, 0,
                        paste(sprintf("%.17g", c(w$statistic, w$p.value, rb(after, before),
                                                 sum(after - before == 0))), collapse = ","),
                        sep = ","))
}
# one-sample form on the differences against mu = 1
d <- after - before
w <- wilcox.test(d, mu = 1, exact = FALSE, correct = TRUE)
rows <- c(rows, paste("one_sample_mu1", "two-sided", 1,
                      paste(sprintf("%.17g", c(w$statistic, w$p.value, rb(d, 0, 1), sum(d == 1))),
                            collapse = ","), sep = ","))
writeLines(rows, "expected.csv")
