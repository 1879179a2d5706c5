# Reference for a correlation matrix that is not positive definite.
# Data: psych::Harman.Burt (8 emotional traits, Burt 1915; smallest eigenvalue -0.015).
# perfkit smooths such a matrix with psych::cor.smooth (and warns) BEFORE fitting, so the
# reference is psych::fa applied to cor.smooth(Harman.Burt).
suppressPackageStartupMessages({library(psych); library(GPArotation); library(jsonlite)})
wcsv <- function(x, file) {
  m <- as.data.frame(unclass(x))
  m[] <- lapply(m, function(col) sprintf("%.17g", col))
  write.csv(m, file, quote = FALSE)
}
R <- as.matrix(Harman.Burt)
wcsv(R, "input_correlation.csv")
S <- suppressWarnings(cor.smooth(R))
wcsv(S, "smoothed.csv")
for (fm in c("minres", "ml")) {
  f <- fa(S, nfactors = 2, rotate = "oblimin", fm = fm, n.obs = 123)
  wcsv(unclass(f$loadings), paste0("loadings_", fm, "_oblimin.csv"))
  wcsv(f$Phi, paste0("phi_", fm, "_oblimin.csv"))
}
ev <- eigen(R)$values
meta <- list(
  method = "factor_analysis", case = "burt_nonpd",
  tool = "R psych::cor.smooth, then psych::fa(fm = minres/ml, rotate = oblimin, nfactors = 2)",
  R = R.version.string, psych = as.character(packageVersion("psych")),
  GPArotation = as.character(packageVersion("GPArotation")),
  inputs = "input_correlation.csv = psych::Harman.Burt; n_obs = 123 (nominal, used only for the chi-square)",
  smallest_eigenvalue = min(ev),
  outputs = "smoothed.csv = cor.smooth(Harman.Burt); loadings_*.csv; phi_*.csv",
  tolerance = list(smoothed_abs = 1e-12, minres_abs = 1e-6, ml_abs = 2e-5),
  why = paste("cor.smooth is closed form (eigen-decomposition). The fits are iterative (see harman74/meta.json);",
              "the ML fit of this near-singular matrix ends with a uniqueness on the 0.005 bound and a",
              "line-search stop (scipy: ABNORMAL), where R's and scipy's L-BFGS-B stop ~6e-6 apart (measured)."))
write(toJSON(meta, auto_unbox = TRUE, pretty = TRUE, digits = NA), "meta.json")
