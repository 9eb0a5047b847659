//! The `kezek` command line: serve, migrate, imports, staff add, protocol verify. Every subcommand
//! takes the same settings, so they all act on the same installation; the work itself is done by
//! `kezek-core` (services, `jobs`) and its web server.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use kezek_core::accounts::{self, users::StaffBinding};
use kezek_core::app::App;
use kezek_core::config::{Settings, SettingsInput, redact_url};
use kezek_core::db::migrate;
use kezek_core::jobs;
use kezek_domain::Role;

#[derive(Parser, Debug)]
#[command(
    name = "kezek",
    version,
    about = "Kezek: a fair, transparent kindergarten waiting queue"
)]
pub struct Cli {
    /// Optional TOML file with any of the settings below (flags and environment win).
    #[arg(long, env = "KEZEK_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub settings: SettingsInput,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (migrates the database first).
    Serve {
        /// Load demo data and print how to try the whole journey.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// The embedded register of individuals.
    Registry {
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// The KATO classifier of administrative units.
    Kato {
        #[command(subcommand)]
        command: KatoCommand,
    },
    /// Preschool organizations and their groups.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// The public protocol of directions.
    Protocol {
        #[command(subcommand)]
        command: ProtocolCommand,
    },
    /// Directions (offers of free places).
    Directions {
        #[command(subcommand)]
        command: DirectionsCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum DirectionsCommand {
    /// Once, what `serve` does every minute: annul directions past their deadline, then offer
    /// every free place to the first eligible child. Safe beside running servers.
    Run,
}

#[derive(Subcommand, Debug)]
pub enum ProtocolCommand {
    /// Check a downloaded protocol (CSV or JSON): recompute every hash of the chain.
    Verify {
        file: PathBuf,
        /// The last entry's hash as the site showed it: the copy must end in it.
        #[arg(long)]
        head: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum RegistryCommand {
    /// Load persons from CSV: iin,last_name,first_name,middle_name,birth_date,sex,nationality
    Import { file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum KatoCommand {
    /// Load or update units from CSV: code,name_kk,name_ru (all or nothing).
    Import { file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Load or update organizations and groups from CSV (all or nothing; re-import updates).
    Import {
        /// bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude
        #[arg(long)]
        organizations: PathBuf,
        /// org_bin,name,birth_year,language,kind,correction_type,capacity
        #[arg(long)]
        groups: PathBuf,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum StaffRole {
    Admin,
    Department,
    Organization,
    Moderator,
}

impl From<StaffRole> for Role {
    fn from(r: StaffRole) -> Role {
        match r {
            StaffRole::Admin => Role::Admin,
            StaffRole::Department => Role::Department,
            StaffRole::Organization => Role::Organization,
            StaffRole::Moderator => Role::Moderator,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum StaffCommand {
    /// Create a staff account that logs in through "Вход".
    Add {
        #[arg(long, value_enum)]
        role: StaffRole,
        #[arg(long)]
        phone: String,
        #[arg(long, env = "KEZEK_STAFF_PASSWORD", hide_env_values = true)]
        password: String,
        /// Organization staff: the organization's 12-digit BIN.
        #[arg(long)]
        org: Option<String>,
        /// Department operators: the KATO code of their region or district.
        #[arg(long)]
        kato: Option<String>,
    },
}

fn init_logging(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("KEZEK_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub fn main() -> ExitCode {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    let settings = match Settings::load(cli.settings, cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kezek: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(settings.log_json);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the async runtime starts");
    match runtime.block_on(run(cli.command, settings)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kezek: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler installs");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve { demo } => serve(settings, demo).await,
        Command::Migrate => {
            let db = settings.open_database().await?;
            let applied = migrate::run(&db).await?;
            println!(
                "{applied} migration(s) applied to {}",
                redact_url(settings.database_url.expose())
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Registry {
            command: RegistryCommand::Import { file },
        } => registry_import(settings, &file).await,
        Command::Kato {
            command: KatoCommand::Import { file },
        } => kato_import(settings, &file).await,
        Command::Org {
            command:
                OrgCommand::Import {
                    organizations,
                    groups,
                },
        } => org_import(settings, &organizations, &groups).await,
        Command::Protocol {
            command: ProtocolCommand::Verify { file, head },
        } => Ok(protocol_verify(&file, head.as_deref())),
        Command::Directions {
            command: DirectionsCommand::Run,
        } => {
            let app = App::start(settings).await?;
            let (expired, issued) = jobs::directions_round(&app, app.now()).await?;
            println!("{expired} direction(s) annulled, {issued} issued");
            Ok(ExitCode::SUCCESS)
        }
        Command::Staff {
            command:
                StaffCommand::Add {
                    role,
                    phone,
                    password,
                    org,
                    kato,
                },
        } => {
            let app = App::start(settings).await?;
            let role = Role::from(role);
            let binding = staff_binding(role, org, kato)?;
            match accounts::create_staff(&app, role, &phone, &password, binding).await {
                Ok(id) => {
                    println!("staff account {id} created: {} ({})", phone, role.as_str());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("kezek: {}", e.message(&app, kezek_core::i18n::Lang::En));
                    Ok(ExitCode::from(2))
                }
            }
        }
    }
}

fn staff_binding(
    role: Role,
    org: Option<String>,
    kato: Option<String>,
) -> anyhow::Result<StaffBinding> {
    use kezek_domain::{Bin, Kato};
    match role {
        Role::Organization => {
            let org =
                org.ok_or_else(|| anyhow::anyhow!("--org BIN is required for organization staff"))?;
            let bin = Bin::parse(&org).map_err(|e| anyhow::anyhow!("--org {org}: {e}"))?;
            Ok(StaffBinding {
                org_bin: Some(bin.to_string()),
                kato: None,
            })
        }
        Role::Department => {
            let code = kato.ok_or_else(|| {
                anyhow::anyhow!("--kato CODE is required for department operators")
            })?;
            let kato = Kato::parse(&code).map_err(|e| anyhow::anyhow!("--kato {code}: {e}"))?;
            Ok(StaffBinding {
                org_bin: None,
                kato: Some(kato.to_string()),
            })
        }
        _ => Ok(StaffBinding::default()),
    }
}

/// Prints the lines to fix and the exit code for "nothing imported".
fn report_line_errors(
    file: &std::path::Path,
    errors: &[kezek_core::csv_file::LineError],
) -> ExitCode {
    for e in errors {
        eprintln!("{}: {e}", file.display());
    }
    eprintln!("kezek: nothing imported: {} line(s) to fix", errors.len());
    ExitCode::from(2)
}

fn open(file: &std::path::Path) -> anyhow::Result<std::fs::File> {
    std::fs::File::open(file).map_err(|e| anyhow::anyhow!("cannot open {}: {e}", file.display()))
}

async fn kato_import(settings: Settings, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    use kezek_core::reference::kato_import::{self, StoreError};
    let rows = match kato_import::parse(open(file)?) {
        Ok(rows) => rows,
        Err(errors) => return Ok(report_line_errors(file, &errors)),
    };
    let db = settings.open_database().await?;
    migrate::run(&db).await?;
    match kato_import::store(&db, &rows, chrono::Utc::now().timestamp()).await {
        Ok(summary) => {
            println!(
                "{} unit(s) imported: {} new, {} updated",
                rows.len(),
                summary.inserted,
                summary.updated
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Lines(errors)) => Ok(report_line_errors(file, &errors)),
        Err(StoreError::Db(e)) => Err(e.into()),
    }
}

async fn org_import(
    settings: Settings,
    organizations: &std::path::Path,
    groups: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let db = settings.open_database().await?;
    migrate::run(&db).await?;
    let (orgs_name, groups_name) = (
        organizations.display().to_string(),
        groups.display().to_string(),
    );
    let result = kezek_core::orgs::import::import_files(
        &db,
        (&orgs_name, open(organizations)?),
        (&groups_name, open(groups)?),
        chrono::Utc::now().timestamp(),
    )
    .await;
    match result {
        Ok(s) => {
            println!(
                "organizations: {} new, {} updated; groups: {} new, {} updated",
                s.organizations_created,
                s.organizations_updated,
                s.groups_created,
                s.groups_updated
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(messages) => {
            for m in &messages {
                eprintln!("{m}");
            }
            eprintln!(
                "kezek: nothing imported: {} problem(s) to fix",
                messages.len()
            );
            Ok(ExitCode::from(2))
        }
    }
}

async fn registry_import(settings: Settings, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let persons = match kezek_core::registry::import::parse(open(file)?) {
        Ok(persons) => persons,
        Err(errors) => return Ok(report_line_errors(file, &errors)),
    };
    let db = settings.open_database().await?;
    migrate::run(&db).await?;
    let summary =
        kezek_core::registry::import::store(&db, &persons, chrono::Utc::now().timestamp()).await?;
    println!(
        "{} person(s) imported: {} new, {} updated",
        persons.len(),
        summary.inserted,
        summary.updated
    );
    Ok(ExitCode::SUCCESS)
}

/// `kezek protocol verify FILE`: "OK: N entries, last hash H", or where the chain breaks (exit 1).
fn protocol_verify(file: &std::path::Path, head: Option<&str>) -> ExitCode {
    use kezek_core::directions::protocol;
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("kezek: cannot read {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let records = match protocol::parse(&bytes) {
        Ok(records) => records,
        Err(e) => {
            eprintln!("kezek: {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    match protocol::verify(&records) {
        Ok(ok) => {
            if let Some(expected) = head
                && !expected.trim().eq_ignore_ascii_case(&ok.last_hash)
            {
                println!(
                    "BROKEN: the chain is intact but ends in {}, not in {}: it was rewritten or is incomplete",
                    ok.last_hash,
                    expected.trim()
                );
                return ExitCode::FAILURE;
            }
            println!("OK: {} entries, last hash {}", ok.entries, ok.last_hash);
            ExitCode::SUCCESS
        }
        Err(broken) => {
            println!(
                "BROKEN: first broken entry seq {}: {}",
                broken.seq, broken.problem
            );
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "demo")]
async fn demo_data(app: &App) -> anyhow::Result<()> {
    let guide = kezek_datagen::demo::load(app).await?;
    println!("{guide}");
    Ok(())
}

#[cfg(not(feature = "demo"))]
async fn demo_data(_: &App) -> anyhow::Result<()> {
    anyhow::bail!("this build has no demo data: build with the `demo` feature (the default)")
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<ExitCode> {
    tracing::info!(
        database = %redact_url(settings.database_url.expose()),
        data_dir = %settings.data_dir.display(),
        "starting Kezek"
    );
    let app = App::start(settings).await?;
    if demo {
        demo_data(&app).await?;
    }
    let listener = tokio::net::TcpListener::bind(app.settings.addr).await?;
    let addr = listener.local_addr()?;
    println!("Kezek is listening on http://{addr}");
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let wait_stop = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let relay = tokio::spawn(app.relay().run(wait_stop(stop_rx.clone())));
    let housekeeping = tokio::spawn(jobs::housekeeping(app.clone(), wait_stop(stop_rx.clone())));
    let directions = tokio::spawn(jobs::directions(app.clone(), wait_stop(stop_rx.clone())));
    kezek_web::serve(app.clone(), listener, shutdown_signal()).await?;
    let _ = stop_tx.send(true);
    let _ = tokio::join!(relay, housekeeping, directions);
    app.db.close().await;
    tracing::info!("Kezek stopped");
    Ok(ExitCode::SUCCESS)
}
