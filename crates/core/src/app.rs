//! The application state shared by the web server, the background jobs and the CLI commands.

use std::ops::Deref;
use std::sync::Arc;

use tokio::sync::Notify;

use crate::accounts::hasher::Hasher;
use crate::cache::TtlCache;
use crate::clock::{Clock, SystemClock};
use crate::config::{RegistrySettings, Secret, Settings, SmsSettings};
use crate::db::{Db, migrate};
use crate::domain::otp::SendPolicy;
use crate::i18n::I18n;
use crate::outside::http_client;
use crate::registry::{EmbeddedRegistry, HttpRegistry, Registry};
use crate::sms::{FileGateway, MobizonGateway, SmsGateway, SmscGateway};

pub struct AppInner {
    pub settings: Settings,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub i18n: I18n,
    pub hasher: Hasher,
    pub registry: Registry,
    pub otp_policy: SendPolicy,
    /// The key one-time codes are hashed under, shared through the database.
    pub code_key: crate::accounts::codes::CodeKey,
    /// Uploaded files, under `<data-dir>/files` or in an object store.
    pub storage: crate::storage::Storage,
    /// Rung after a message is put in the outbox, so the relay sends it at once.
    pub sms_wakeup: Arc<Notify>,
    /// Region-wide public figures, reused for `settings.public_figures_ttl`.
    pub public_figures: PublicFigures,
    /// Changes this process made to what the public pages show.
    pub public_changes: crate::cache::PublicChanges,
}

#[derive(Clone)]
pub struct App(Arc<AppInner>);

impl Deref for App {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

impl App {
    /// Opens (and migrates) the database and wires the adapters the settings name.
    pub async fn start(settings: Settings) -> anyhow::Result<App> {
        Self::start_with_clock(settings, Arc::new(SystemClock)).await
    }

    pub async fn start_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<App> {
        std::fs::create_dir_all(&settings.data_dir)?;
        let db = settings.open_database().await?;
        migrate::run(&db).await?;
        let code_key = crate::accounts::codes::CodeKey::load(
            settings.otp_key.as_ref().map(Secret::expose),
            &db,
            clock.now(),
        )
        .await?;
        let registry = match &settings.registry {
            RegistrySettings::Embedded => Registry::Embedded(EmbeddedRegistry::new(db.clone())),
            RegistrySettings::Http { url, token } => Registry::Http(HttpRegistry::new(
                url.clone(),
                token.as_ref().map(|t| t.expose().to_owned()),
                http_client(),
            )),
        };
        Ok(App(Arc::new(AppInner {
            hasher: Hasher::new(settings.hashing_concurrency),
            otp_policy: SendPolicy::default(),
            code_key,
            storage: crate::storage::Storage::configured(&settings)?,
            i18n: I18n::new(),
            sms_wakeup: Arc::new(Notify::new()),
            public_figures: PublicFigures::new(settings.public_figures_ttl),
            public_changes: Default::default(),
            registry,
            clock,
            db,
            settings,
        })))
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn sms_gateway(&self) -> SmsGateway {
        let sender = self.settings.sms_sender.clone();
        match &self.settings.sms {
            SmsSettings::File => {
                SmsGateway::File(FileGateway::new(self.settings.sms_outbox_path()))
            }
            SmsSettings::Mobizon { url, api_key } => SmsGateway::Mobizon(MobizonGateway::new(
                url.clone(),
                api_key.expose().to_owned(),
                sender,
                http_client(),
            )),
            SmsSettings::Smsc {
                url,
                login,
                password,
            } => SmsGateway::Smsc(SmscGateway::new(
                url.clone(),
                login.clone(),
                password.expose().to_owned(),
                sender,
                http_client(),
            )),
        }
    }

    pub fn relay(&self) -> crate::outbox::Relay {
        crate::outbox::Relay {
            db: self.db.clone(),
            gateway: self.sms_gateway(),
            clock: self.clock.clone(),
            wakeup: self.sms_wakeup.clone(),
        }
    }
}

/// The caches of the region-wide public figures, one per kind of value: owned here, by the
/// composition root, so the features they cache need not know `App`.
pub struct PublicFigures {
    pub home: TtlCache<crate::portal::figures::RegionFigures>,
    /// The statistics page's and API's four figures.
    pub statistics: crate::stats::Shared,
    /// The catalog's organizations per area, matched and sorted per request.
    pub catalog: crate::portal::catalog::ListedCache,
    /// A region's active organizations (id, name kk, name ru), for the filters' lists.
    pub organizations: TtlCache<Arc<Vec<(i64, String, String)>>>,
}

impl PublicFigures {
    pub fn new(ttl: std::time::Duration) -> PublicFigures {
        PublicFigures {
            home: TtlCache::new(ttl),
            statistics: crate::stats::Shared::new(ttl),
            catalog: TtlCache::new(ttl),
            organizations: TtlCache::new(ttl),
        }
    }
}
