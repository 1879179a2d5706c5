# Reference for perfkit.methods.survey.satisfaction with design weights.
#   valid  = not blank and not the declared invalid answer "不清楚"
#   rate   = sum(w[satisfied]) / sum(w[valid]),  satisfied = 非常满意 or 满意 (score >= 4)
#   n_eff  = sum(w[valid])^2 / sum(w[valid]^2)   (Kish 1965)
#   Wilson on n_eff: R stats::prop.test(rate * n_eff, n_eff, correct = FALSE)$conf.int,
#   cross-checked against the Wilson formula written out (the script stops if they differ).
# Unweighted rate and interval are also given (prop.test on the integer counts).
# Run from this directory: Rscript make.R
set.seed(99)
labs <- c("非常满意", "满意", "一般", "不满意", "非常不满意", "不清楚", "")
ans <- sample(labs, 80, replace = TRUE, prob = c(.35, .35, .12, .06, .03, .05, .04))
w <- round(runif(80, 0.5, 3), 2)
con <- file("responses.csv", open = "w", encoding = "UTF-8")
writeLines(c("answer,weight", paste(ans, sprintf("%.2f", w), sep = ",")), con)
close(con)
valid <- ans != "" & ans != "不清楚"
sat <- ans %in% c("非常满意", "满意")
wv <- w[valid]
p <- sum(w[valid & sat]) / sum(wv)
neff <- sum(wv)^2 / sum(wv^2)
ci <- suppressWarnings(prop.test(p * neff, neff, correct = FALSE))$conf.int
z <- qnorm(0.975)
hand <- (p + z^2 / (2 * neff) + c(-1, 1) * z * sqrt(p * (1 - p) / neff + z^2 / (4 * neff^2))) /
  (1 + z^2 / neff)
stopifnot(isTRUE(all.equal(as.numeric(ci), hand, tolerance = 1e-13)))
ciu <- suppressWarnings(prop.test(sum(valid & sat), sum(valid), correct = FALSE))$conf.int
out <- c(n = length(ans), n_blank = sum(ans == ""), n_invalid = sum(ans == "不清楚"),
         n_valid = sum(valid), n_satisfied = sum(valid & sat), rate = p, n_eff = neff,
         ci_low = ci[1], ci_high = ci[2], rate_unweighted = sum(valid & sat) / sum(valid),
         ci_low_unweighted = ciu[1], ci_high_unweighted = ciu[2])
writeLines(c("name,value", sprintf("%s,%.17g", names(out), out)), "expected.csv")
