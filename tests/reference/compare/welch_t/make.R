# Reference for perfkit.methods.compare.welch_t — R stats::t.test (Welch) and a hand-written
# Hedges' g with a noncentral-t confidence interval (test inversion with uniroot on pt(ncp=)).
# Run from this directory:  Rscript make.R
set.seed(20240501)
a <- round(rnorm(12, mean = 10, sd = 2), 2)
b <- round(rnorm(15, mean = 8.5, sd = 3.2), 2)
b[4] <- NA                                            # a missing value: dropped as R does
writeLines(c("a", sprintf("%.2f", a)), "a.csv")
writeLines(c("b", ifelse(is.na(b), "", sprintf("%.2f", b))), "b.csv")

hedges <- function(a, b, conf) {
  a <- a[!is.na(a)]; b <- b[!is.na(b)]
  na <- length(a); nb <- length(b); m <- na + nb - 2
  sp <- sqrt(((na - 1) * var(a) + (nb - 1) * var(b)) / m)
  d <- (mean(a) - mean(b)) / sp
  J <- exp(lgamma(m / 2) - 0.5 * log(m / 2) - lgamma((m - 1) / 2))
  tt <- d / sqrt(1 / na + 1 / nb)
  alpha <- 1 - conf
  f <- function(p) uniroot(function(ncp) pt(tt, m, ncp) - p, c(tt - 10, tt + 10),
                           tol = 1e-13)$root
  c(g = J * d, g_lo = J * f(1 - alpha / 2) * sqrt(1 / na + 1 / nb),
    g_hi = J * f(alpha / 2) * sqrt(1 / na + 1 / nb))
}

scen <- list(list("two_sided_95", "two.sided", 0.95, 0),
             list("greater_90_mu05", "greater", 0.90, 0.5),
             list("less_99", "less", 0.99, 0))
rows <- c("scenario,alternative,conf,mu,statistic,df,p_value,ci_low,ci_high,mean_a,mean_b,hedges_g,g_ci_low,g_ci_high")
for (s in scen) {
  tt <- t.test(a, b, alternative = s[[2]], conf.level = s[[3]], mu = s[[4]])
  h <- hedges(a, b, s[[3]])
  alt <- c(two.sided = "two-sided", greater = "greater", less = "less")[[s[[2]]]]
  rows <- c(rows, paste(s[[1]], alt, s[[3]], s[[4]],
                        paste(sprintf("%.17g", c(tt$statistic, tt$parameter, tt$p.value,
                                                 tt$conf.int, tt$estimate, h)), collapse = ","),
                        sep = ","))
}
writeLines(rows, "expected.csv")
