//! The register of individuals (ГБД ФЛ), looked up by IIN behind an adapter.
