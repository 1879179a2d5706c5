# Reference for perfkit.cycle.evaluation.icc: the data of Shrout & Fleiss (1979), Table 2
# (6 targets x 4 judges), for which the paper reports ICC(2,1) = .29 and ICC(2,4) = .62.
# R psych::ICC with lmer = FALSE (classical two-way ANOVA). Run from this directory: Rscript make.R
suppressPackageStartupMessages({library(psych); library(jsonlite)})
x <- matrix(c(9, 2, 5, 8,
              6, 1, 3, 2,
              8, 4, 6, 8,
              7, 1, 2, 6,
              10, 5, 6, 9,
              6, 2, 4, 7), ncol = 4, byrow = TRUE, dimnames = list(NULL, paste0("J", 1:4)))
write.csv(x, "input.csv", row.names = FALSE, quote = FALSE)
r <- ICC(x, lmer = FALSE)$results
g <- function(type, col) r[r$type == type, col]
out <- list(icc2_1 = g("ICC2", "ICC"), icc2_1_lower = g("ICC2", "lower bound"),
            icc2_1_upper = g("ICC2", "upper bound"), icc2_k = g("ICC2k", "ICC"),
            icc2_k_lower = g("ICC2k", "lower bound"), icc2_k_upper = g("ICC2k", "upper bound"),
            F = g("ICC2", "F"), df1 = g("ICC2", "df1"), df2 = g("ICC2", "df2"), p = g("ICC2", "p"),
            published = list(icc2_1 = 0.29, icc2_k = 0.62))
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write(toJSON(list(method = "icc", case = "shrout_fleiss",
  tool = "R psych::ICC(x, lmer = FALSE)", R = R.version.string,
  psych = as.character(packageVersion("psych")),
  inputs = "input.csv: Shrout & Fleiss (1979) Psychological Bulletin 86, 420-428, Table 2 (targets x judges)",
  tolerance = list(rtol = 1e-9, atol = 1e-12, published_atol = 0.005),
  why = "closed-form ANOVA mean squares; the paper prints two decimals"),
  auto_unbox = TRUE, pretty = TRUE), "meta.json")
