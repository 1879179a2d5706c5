# Reference for perfkit.methods.survey.satisfaction intervals (unweighted):
#   Wilson score interval  = R stats::prop.test(x, n, correct = FALSE)$conf.int
#   Clopper-Pearson        = R stats::binom.test(x, n)$conf.int
# Run from this directory: Rscript make.R
cases <- data.frame(
  x    = c(0, 1, 9, 45, 90, 171, 180, 200, 287, 20),
  n    = c(20, 20, 10, 50, 100, 200, 200, 200, 300, 20),
  conf = c(0.95, 0.95, 0.95, 0.90, 0.95, 0.95, 0.99, 0.95, 0.95, 0.95))
rows <- "x,n,conf,rate,wilson_low,wilson_high,cp_low,cp_high"
for (i in seq_len(nrow(cases))) {
  x <- cases$x[i]; n <- cases$n[i]; cf <- cases$conf[i]
  w <- suppressWarnings(prop.test(x, n, conf.level = cf, correct = FALSE))$conf.int
  b <- binom.test(x, n, conf.level = cf)$conf.int
  rows <- c(rows, paste(x, n, cf, paste(sprintf("%.17g", c(x / n, w, b)), collapse = ","), sep = ","))
}
writeLines(rows, "expected.csv")
