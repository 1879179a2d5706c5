# Reference for perfkit.methods.factor_analysis on raw data (correlations, factor scores).
# Data: psych::bfi, items A1-A5, C1-C5, E1-E5, first 400 complete rows (exported to input_data.csv).
# Run from this folder:  Rscript make.R
suppressPackageStartupMessages({library(psych); library(GPArotation); library(jsonlite)})
wcsv <- function(x, file, row.names = TRUE) {
  m <- as.data.frame(unclass(x))
  m[] <- lapply(m, function(col) sprintf("%.17g", col))
  write.csv(m, file, quote = FALSE, row.names = row.names)
}
x <- bfi[complete.cases(bfi[, 1:15]), 1:15][1:400, ]
write.csv(x, "input_data.csv", quote = FALSE)   # integers 1..6, row names = bfi ids
nf <- 3
score.cases <- c("minres_oblimin", "ml_promax", "pa_varimax", "pc_varimax", "pc_oblimin")
cases <- list()
for (fm in c("minres", "ml", "pa", "pc")) {
  for (rot in c("none", "varimax", "promax", "oblimin")) {
    if (fm == "pc") {
      f <- principal(x, nfactors = nf, rotate = rot)
    } else {
      f <- fa(x, nfactors = nf, rotate = rot, fm = fm)
    }
    key <- paste(fm, rot, sep = "_")
    wcsv(unclass(f$loadings), paste0("loadings_", key, ".csv"))
    if (!is.null(f$Phi)) wcsv(f$Phi, paste0("phi_", key, ".csv"))
    if (key %in% score.cases) wcsv(f$scores, paste0("scores_", key, ".csv"))
    cases[[key]] <- list(h2 = unname(f$communality), chi2 = f$STATISTIC, dof = f$dof,
                         pvalue = f$PVAL, objective = f$objective, rms = f$rms, n_obs = f$n.obs)
  }
}
write(toJSON(cases, digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE), "expected.json")
meta <- list(
  method = "factor_analysis", case = "bfi_raw",
  tool = "R psych::fa / psych::principal on raw data (Pearson correlations; scores = 'regression')",
  R = R.version.string, psych = as.character(packageVersion("psych")),
  GPArotation = as.character(packageVersion("GPArotation")),
  inputs = "input_data.csv = psych::bfi[complete.cases(bfi[,1:15]), 1:15][1:400, ]; n_factors = 3",
  outputs = "loadings_<method>_<rotation>.csv, phi_*.csv, scores_<case>.csv for 5 cases, expected.json",
  tolerance = list(loadings_abs = 1e-6, scores_abs = 1e-5, stats_rel = 1e-6),
  why = paste("Algorithms replicated step by step; measured agreement ~1e-12. Iterative fits stop on",
              "tolerances (L-BFGS-B factr 1e7, rotation eps 1e-5), so 1e-6 on loadings allows a",
              "different LAPACK/scipy build to stop one step apart; scores are weighted sums of 15",
              "standardised items (|z| up to ~3), hence 1e-5."))
write(toJSON(meta, auto_unbox = TRUE, pretty = TRUE), "meta.json")
