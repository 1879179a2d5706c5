# Reference for perfkit.methods.bartlett_sphericity on a correlation matrix with n = 145,
# and on its first 4 tests (a case where the p-value is not 0).
suppressPackageStartupMessages({library(psych); library(jsonlite)})
R <- Harman74.cor$cov
m <- as.data.frame(R); m[] <- lapply(m, function(c) sprintf("%.17g", c))
write.csv(m, "input_correlation.csv", quote = FALSE)
b <- cortest.bartlett(R, n = 145)
idx <- c(2, 3, 9, 14)    # Cubes, PaperFormBoard, WordMeaning, WordRecognition: weakly related
b4 <- cortest.bartlett(R[idx, idx], n = 30)
write(toJSON(list(all24 = list(statistic = b$chisq, dof = b$df, pvalue = b$p.value, n_obs = 145),
                  four = list(variables = colnames(R)[idx], statistic = b4$chisq, dof = b4$df,
                              pvalue = b4$p.value, n_obs = 30)),
             digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write(toJSON(list(method = "bartlett", case = "harman74", tool = "R psych::cortest.bartlett",
  R = R.version.string, psych = as.character(packageVersion("psych")),
  inputs = "input_correlation.csv = datasets::Harman74.cor$cov; n = 145, and a 4-variable subset with n = 30",
  tolerance = list(statistic_rel = 1e-10, pvalue_rel = 1e-8), why = "closed form"),
  auto_unbox = TRUE, pretty = TRUE), "meta.json")
