"""Orchestration: parameters, notebook execution, batches, manifests. Owns every output path."""
from .params import RunSpec, load_params, validate_parameters
from .paths import check_id, output_root
from .publish import publish, register_writer

__all__ = ["RunSpec", "load_params", "validate_parameters", "publish", "register_writer",
           "check_id", "output_root", "run_report", "run_batch", "verify"]


def __getattr__(name):  # lazy: papermill/multiprocessing only when running
    if name == "run_report":
        from .execute import run_report
        return run_report
    if name == "run_batch":
        from .batch import run_batch
        return run_batch
    if name == "verify":
        from .verify import verify
        return verify
    raise AttributeError(name)
