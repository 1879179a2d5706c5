# Reference for perfkit.methods.bartlett_sphericity on raw data: psych::cortest.bartlett.
suppressPackageStartupMessages({library(psych); library(jsonlite)})
x <- bfi[complete.cases(bfi[, 1:25]), 1:25][1:500, ]
write.csv(x, "input_data.csv", quote = FALSE)
b <- suppressMessages(cortest.bartlett(x))   # n = nrow(x) = 500
write(toJSON(list(statistic = b$chisq, dof = b$df, pvalue = b$p.value, n_obs = nrow(x)),
             digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write(toJSON(list(method = "bartlett", case = "bfi25", tool = "R psych::cortest.bartlett",
  R = R.version.string, psych = as.character(packageVersion("psych")),
  inputs = "input_data.csv = psych::bfi[complete.cases(bfi[,1:25]), 1:25][1:500, ]",
  tolerance = list(statistic_rel = 1e-10, pvalue_abs = 1e-12),
  why = "closed form (log-determinant); the p-value underflows to 0 for these data"),
  auto_unbox = TRUE, pretty = TRUE), "meta.json")
