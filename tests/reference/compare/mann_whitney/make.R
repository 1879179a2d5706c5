# Reference for perfkit.methods.compare.mann_whitney — R stats::wilcox.test(x, y,
# exact = FALSE, correct = TRUE) (normal approximation with tie and continuity corrections).
# Rank-biserial r = 2W/(n_a n_b) - 1 computed by hand. Run from this directory: Rscript make.R
set.seed(7)
a <- sample(1:5, 23, replace = TRUE, prob = c(.05, .10, .20, .35, .30))   # Likert-like: many ties
b <- sample(1:5, 19, replace = TRUE, prob = c(.10, .20, .30, .25, .15))
a[c(3, 17)] <- c(4.5, 2.25)                                               # a few non-integers
writeLines(c("a", sprintf("%.2f", a)), "a.csv")
writeLines(c("b", sprintf("%.2f", b)), "b.csv")
rows <- "alternative,statistic,p_value,rank_biserial"
for (alt in c("two.sided", "greater", "less")) {
  w <- wilcox.test(a, b, alternative = alt, exact = FALSE, correct = TRUE)
  W <- unname(w$statistic)
  r <- 2 * W / (length(a) * length(b)) - 1
  nm <- c(two.sided = "two-sided", greater = "greater", less = "less")[[alt]]
  rows <- c(rows, paste(nm, paste(sprintf("%.17g", c(W, w$p.value, r)), collapse = ","), sep = ","))
}
writeLines(rows, "expected.csv")
