# Reference for perfkit.methods.kmo on a correlation matrix: psych::KMO(Harman74.cor$cov).
suppressPackageStartupMessages({library(psych); library(jsonlite)})
R <- Harman74.cor$cov
m <- as.data.frame(R); m[] <- lapply(m, function(c) sprintf("%.17g", c))
write.csv(m, "input_correlation.csv", quote = FALSE)
k <- KMO(R)
write(toJSON(list(overall = k$MSA, per_variable = as.list(k$MSAi)), digits = NA,
             auto_unbox = TRUE, pretty = TRUE), "expected.json")
write(toJSON(list(method = "kmo", case = "harman74", tool = "R psych::KMO",
  R = R.version.string, psych = as.character(packageVersion("psych")),
  inputs = "input_correlation.csv = datasets::Harman74.cor$cov (24 tests)",
  tolerance = 1e-10, why = "closed form (matrix inverse); only rounding differs"),
  auto_unbox = TRUE, pretty = TRUE), "meta.json")
