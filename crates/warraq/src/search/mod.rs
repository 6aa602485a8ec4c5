//! Full-text search and related articles, on a tantivy index kept on disk
//! beside the database.
//!
//! The index follows the store's change log (see [`Store::changes_between`]):
//! [`SearchIndex::catch_up`] re-indexes exactly the articles changed since
//! its position, whichever process changed them, so a reader never misses a
//! published article and never finds an unpublished one. Each node keeps
//! its own index; nodes sharing a directory have one writer, and readers
//! that reload.

pub mod related;

mod tokenizer;

use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use anyhow::Context;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, MoreLikeThisQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};

pub use tokenizer::Stemming;

use crate::model::{Article, Lang};
use crate::store::Store;

/// Bump when the schema or the analysis changes: the index is rebuilt.
const SCHEMA_VERSION: u32 = 1;
/// Documents added between commits while indexing many (see `SearchIndex::add`).
const COMMIT_EVERY: u64 = 5_000;
const TOKENIZER: &str = "warraq";
/// Related candidates scored before freshness re-ranks them.
const RELATED_CANDIDATES: usize = 40;
/// Extra weight for articles that hold every word of a query.
const ALL_TERMS_BOOST: f32 = 3.0;
/// How much of a body snippets are looked for in.
const SNIPPET_SOURCE_BYTES: usize = 2000;
/// Age, in days, at which freshness halves a related article's score.
const FRESHNESS_HALF_LIFE_DAYS: f64 = 180.0;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    lang: Field,
    headline: Field,
    standfirst: Field,
    body: Field,
    authors: Field,
    author_slugs: Field,
    sections: Field,
    section_slugs: Field,
    tags: Field,
    published: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        id: b.add_u64_field(
            "id",
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        ),
        lang: b.add_text_field("lang", STRING),
        headline: b.add_text_field("headline", text(true)),
        standfirst: b.add_text_field("standfirst", text(true)),
        body: b.add_text_field("body", text(true)),
        authors: b.add_text_field("authors", text(false)),
        author_slugs: b.add_text_field("author_slug", STRING),
        sections: b.add_text_field("sections", text(false)),
        section_slugs: b.add_text_field("section_slug", STRING),
        tags: b.add_text_field("tags", text(false)),
        published: b.add_i64_field(
            "published",
            NumericOptions::default().set_indexed().set_fast() | STORED,
        ),
    };
    (b.build(), fields)
}

/// What a reader asks the search page or the API.
#[derive(Clone, Debug, Default)]
pub struct SearchQuery {
    pub text: String,
    pub lang: Option<Lang>,
    pub section: Option<String>,
    pub author: Option<String>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub by_date: bool,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

pub struct Hit {
    pub id: i64,
    pub score: f32,
    /// Safe HTML: the text escaped, matches in `<b>`.
    pub snippet: String,
}

pub struct Results {
    pub hits: Vec<Hit>,
    pub total: usize,
}

pub struct SearchIndex {
    reader: IndexReader,
    /// `None` when another process holds the index: this one only reads.
    writer: Option<Mutex<IndexWriter>>,
    fields: Fields,
    stemming: Stemming,
    store: Store,
    /// The change-log position the index reflects; kept in each commit's
    /// payload, so a restarted process catches up from where it stopped.
    indexed: AtomicU64,
    catching_up: tokio::sync::Mutex<()>,
}

/// How long a process that only reads the index waits for the writer's
/// commit of a change it heard of.
const READER_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl SearchIndex {
    /// Opens the index in `dir` (created if missing; rebuilt if it was made
    /// with another schema or analyser, or misses articles).
    pub async fn open(store: Store, dir: &Path, stemming: Stemming) -> anyhow::Result<SearchIndex> {
        let (schema, fields) = schema();
        let stamp = dir.join("warraq-index.txt");
        let wanted = format!("schema {SCHEMA_VERSION} stemming {}\n", stemming.name());
        let stale = std::fs::read_to_string(&stamp)
            .map(|s| s != wanted)
            .unwrap_or(true);
        if stale && dir.exists() {
            std::fs::remove_dir_all(dir)
                .with_context(|| format!("clearing the old index {}", dir.display()))?;
        }
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the index directory {}", dir.display()))?;
        let mmap = tantivy::directory::MmapDirectory::open(dir)?;
        let index = Index::open_or_create(mmap, schema)
            .with_context(|| format!("opening the index in {}", dir.display()))?;
        index.tokenizers().register(TOKENIZER, stemming.analyzer());
        std::fs::write(&stamp, wanted)?;
        let writer = match index.writer(50_000_000) {
            Ok(w) => Some(Mutex::new(w)),
            Err(tantivy::TantivyError::LockFailure(..)) => {
                tracing::warn!(
                    "search index {} is held by another process: searching only",
                    dir.display()
                );
                None
            }
            Err(e) => return Err(e.into()),
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let position = index
            .load_metas()?
            .payload
            .and_then(|p| p.trim().parse::<u64>().ok());
        let search = SearchIndex {
            reader,
            writer,
            fields,
            stemming,
            indexed: AtomicU64::new(position.unwrap_or(0)),
            store,
            catching_up: tokio::sync::Mutex::new(()),
        };
        if search.writer.is_some() && position.is_none() {
            // New, rebuilt for another schema, or from before positions
            // were kept: build it whole.
            search.reindex(|_, _| {}).await?;
        }
        Ok(search)
    }

    /// Whether this process holds the index's writer (else another does,
    /// and this one only reads).
    pub fn writes(&self) -> bool {
        self.writer.is_some()
    }

    pub fn stemming(&self) -> Stemming {
        self.stemming
    }

    /// Rebuilds the whole index from the store; `progress(done, total)`.
    pub async fn reindex(&self, mut progress: impl FnMut(u64, u64)) -> anyhow::Result<u64> {
        let _guard = self.catching_up.lock().await;
        let writer = self
            .writer
            .as_ref()
            .context("the search index is held by another process")?;
        // Changes logged from here on are caught up after the rebuild.
        let position = self.store.last_seq().await?;
        let total = self.store.published_meta().await?.len() as u64;
        writer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .delete_all_documents()?;
        let (mut after, mut done) = (0, 0);
        loop {
            let ids = self.store.published_ids_after(after, 500).await?;
            let Some(&last) = ids.last() else { break };
            after = last;
            let articles = self.store.articles_by_ids(&ids).await?;
            // Until it is whole, the index reflects no position: a rebuild
            // cut short is done again at the next start.
            self.add(writer, &[], &articles, &mut done, None)?;
            progress(done, total);
        }
        self.commit(position)?;
        Ok(done)
    }

    /// The change-log position the index reflects.
    pub fn position(&self) -> u64 {
        self.indexed.load(Ordering::Acquire)
    }

    /// Re-indexes the articles changed since the index was last brought up
    /// to date with the store's position in the change log. Cheap when
    /// nothing changed. A process that only reads the index (another holds
    /// its writer) reloads it instead.
    pub async fn catch_up(&self) -> anyhow::Result<()> {
        let until = self.store.version();
        if self.position() >= until {
            return Ok(());
        }
        let _guard = self.catching_up.lock().await;
        let after = self.position();
        if after >= until {
            return Ok(());
        }
        let Some(writer) = &self.writer else {
            return self.follow_writer(until).await;
        };
        let ids = self.store.changes_between(after, until).await?;
        let mut done = 0;
        for chunk in ids.chunks(500) {
            // Unpublished, deleted or not yet due articles are simply not
            // found again.
            let articles = self.store.articles_by_ids(chunk).await?;
            self.add(writer, chunk, &articles, &mut done, Some(after))?;
        }
        self.commit(until)?;
        Ok(())
    }

    /// In a process that only reads the index: reloads it until the
    /// process that writes it has committed change-log position `until`.
    /// Reloading at once is not enough — this process may hear of a change
    /// before the writer has indexed it, and would then search without it
    /// until the next change. A writer that does not get there in
    /// [`READER_WAIT`] (stopped, or busy rebuilding) is not waited for.
    async fn follow_writer(&self, until: u64) -> anyhow::Result<()> {
        let deadline = std::time::Instant::now() + READER_WAIT;
        loop {
            self.reader.reload()?;
            let committed = self
                .reader
                .searcher()
                .index()
                .load_metas()?
                .payload
                .and_then(|p| p.trim().parse::<u64>().ok())
                .unwrap_or(0);
            if committed >= until {
                self.indexed.store(committed, Ordering::Release);
                return Ok(());
            }
            if std::time::Instant::now() >= deadline {
                tracing::warn!(
                    "the search index's writer has committed change {committed}, not yet {until}: \
                     searching what it has"
                );
                self.indexed.store(until, Ordering::Release);
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Replaces the documents of `replaced` ids with `articles`, counting
    /// them in `done`. Every [`COMMIT_EVERY`] documents it commits, as
    /// reflecting `position` (the one before this work began, or none):
    /// tantivy queues up to 10,000 documents, whole bodies and all, ahead
    /// of its indexing threads, and memory then grew with the archive
    /// (100,000 articles: 243 MB anonymous at the peak; committing every
    /// 5,000, 141 MB, as for 20,000).
    fn add(
        &self,
        writer: &Mutex<IndexWriter>,
        replaced: &[i64],
        articles: &[Article],
        done: &mut u64,
        position: Option<u64>,
    ) -> anyhow::Result<()> {
        let mut w = writer.lock().unwrap_or_else(|e| e.into_inner());
        for id in replaced {
            w.delete_term(Term::from_field_u64(self.fields.id, *id as u64));
        }
        for a in articles {
            w.add_document(self.document(a))?;
            *done += 1;
            if *done % COMMIT_EVERY == 0 {
                let mut prepared = w.prepare_commit()?;
                if let Some(p) = position {
                    prepared.set_payload(&p.to_string());
                }
                prepared.commit()?;
            }
        }
        Ok(())
    }

    /// Commits what was added as reflecting change-log `position`.
    fn commit(&self, position: u64) -> anyhow::Result<()> {
        if let Some(writer) = &self.writer {
            let mut w = writer.lock().unwrap_or_else(|e| e.into_inner());
            let mut prepared = w.prepare_commit()?;
            prepared.set_payload(&position.to_string());
            prepared.commit()?;
        }
        self.reader.reload()?;
        self.indexed.store(position, Ordering::Release);
        Ok(())
    }

    fn document(&self, a: &Article) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, a.id as u64);
        doc.add_text(f.lang, a.lang.code());
        doc.add_text(f.headline, &a.headline);
        doc.add_text(f.standfirst, &a.standfirst);
        // Clean text: never markup or shortcodes, so neither is searchable.
        doc.add_text(f.body, warraq_text::clean_text(&a.body_html));
        for au in &a.authors {
            doc.add_text(f.authors, &au.name);
            doc.add_text(f.author_slugs, &au.slug);
        }
        for s in &a.sections {
            doc.add_text(f.sections, &s.name);
            doc.add_text(f.section_slugs, &s.slug);
        }
        for t in &a.tags {
            doc.add_text(f.tags, &t.name);
        }
        doc.add_i64(f.published, a.published_at.as_second());
        doc
    }

    /// The query's terms, analysed as the index analysed the articles.
    fn terms(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.stemming.analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut terms = Vec::new();
        while tantivy::tokenizer::TokenStream::advance(&mut stream) {
            let t = tantivy::tokenizer::TokenStream::token(&stream).text.clone();
            if !terms.contains(&t) {
                terms.push(t);
            }
        }
        terms
    }

    /// Published articles matching `q`; `None` when the query has no
    /// searchable word at all (only stop words, punctuation…).
    pub async fn search(&self, q: &SearchQuery) -> anyhow::Result<Option<Results>> {
        self.catch_up().await?;
        let f = self.fields;
        let terms = self.terms(&q.text);
        if terms.is_empty() {
            return Ok(None);
        }
        // Any word may match; more words, rarer words and words in the
        // headline rank higher.
        let weighted = [
            (f.headline, 3.0),
            (f.tags, 2.0),
            (f.authors, 2.0),
            (f.sections, 1.5),
            (f.standfirst, 1.5),
            (f.body, 1.0),
        ];
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut every: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in &terms {
            let mut anywhere: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (field, boost) in weighted {
                let tq = TermQuery::new(
                    Term::from_field_text(field, term),
                    IndexRecordOption::WithFreqs,
                );
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(tq.clone()), boost)),
                ));
                anywhere.push((Occur::Should, Box::new(tq)));
            }
            every.push((Occur::Must, Box::new(BooleanQuery::new(anywhere))));
        }
        // An article holding every word of the query outranks one where a
        // single word happens to be rare in a short field (a headline).
        if terms.len() > 1 {
            let all = BooleanQuery::new(every);
            should.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(all), ALL_TERMS_BOOST)),
            ));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        clauses.extend(self.filters(q.lang, q.from, q.to));
        if let Some(section) = &q.section {
            clauses.push((Occur::Must, exact(f.section_slugs, section)));
        }
        if let Some(author) = &q.author {
            clauses.push((Occur::Must, exact(f.author_slugs, author)));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let per_page = q.per_page.clamp(1, 100);
        let offset = (q.page.max(1) - 1) * per_page;
        // The page and the count in one pass over the matches.
        let (addresses, total): (Vec<(f32, DocAddress)>, usize) = if q.by_date {
            let (top, total) = searcher.search(
                &query,
                &(
                    TopDocs::with_limit(per_page)
                        .and_offset(offset)
                        .order_by_fast_field::<i64>("published", Order::Desc),
                    Count,
                ),
            )?;
            (top.into_iter().map(|(_, a)| (0.0, a)).collect(), total)
        } else {
            searcher.search(
                &query,
                &(TopDocs::with_limit(per_page).and_offset(offset), Count),
            )?
        };
        let mut body_snippets = SnippetGenerator::create(&searcher, &query, f.body)?;
        body_snippets.set_max_num_chars(220);
        let standfirst_snippets = SnippetGenerator::create(&searcher, &query, f.standfirst)?;
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            // Snippets come from the opening of the body: analysing whole
            // bodies for ten hits was most of a query's time.
            let body = doc.get_first(f.body).and_then(|v| v.as_str()).unwrap_or("");
            let mut snippet = body_snippets.snippet(opening(body, SNIPPET_SOURCE_BYTES));
            if snippet.highlighted().is_empty() {
                snippet = standfirst_snippets.snippet_from_doc(&doc);
            }
            hits.push(Hit {
                id: doc
                    .get_first(f.id)
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default() as i64,
                score,
                snippet: snippet.to_html(),
            });
        }
        Ok(Some(Results { hits, total }))
    }

    /// Language, and publication between `from` and `to` — never later than now.
    fn filters(
        &self,
        lang: Option<Lang>,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields;
        let now = jiff::Timestamp::now().as_second();
        let upper = to.unwrap_or(now).min(now);
        let lower = match from {
            Some(from) => Bound::Included(Term::from_field_i64(f.published, from)),
            None => Bound::Unbounded,
        };
        let mut out: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(RangeQuery::new(
                lower,
                Bound::Included(Term::from_field_i64(f.published, upper)),
            )),
        )];
        if let Some(lang) = lang {
            out.push((Occur::Must, exact(f.lang, lang.code())));
        }
        out
    }

    /// Articles like `article`, in its language, fresh ones first among the
    /// similar: similarity × a freshness that halves every half-life of age.
    /// A query over the index; [`related`] keeps its answers in the store so
    /// that readers never wait for one.
    pub fn related(&self, article: &Article) -> anyhow::Result<Vec<i64>> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let own = TermQuery::new(
            Term::from_field_u64(f.id, article.id as u64),
            IndexRecordOption::Basic,
        );
        let Some((_, address)) = searcher
            .search(&own, &TopDocs::with_limit(1))?
            .into_iter()
            .next()
        else {
            return Ok(Vec::new());
        };
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency((searcher.num_docs() / 3).max(2))
            .with_min_term_frequency(1)
            .with_min_word_length(2)
            .with_max_query_terms(30)
            .with_document(address);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(like)),
            (Occur::MustNot, Box::new(own)),
        ];
        clauses.extend(self.filters(Some(article.lang), None, None));
        let query = BooleanQuery::new(clauses);
        let now = jiff::Timestamp::now().as_second();
        let mut scored = Vec::new();
        for (score, address) in searcher.search(&query, &TopDocs::with_limit(RELATED_CANDIDATES))? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = doc
                .get_first(f.id)
                .and_then(|v| v.as_u64())
                .unwrap_or_default() as i64;
            let published = doc
                .get_first(f.published)
                .and_then(|v| v.as_i64())
                .unwrap_or(now);
            let age_days = ((now - published).max(0) as f64) / 86_400.0;
            let freshness = 0.5f64.powf(age_days / FRESHNESS_HALF_LIFE_DAYS);
            scored.push((score as f64 * freshness, id));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(scored.into_iter().map(|(_, id)| id).collect())
    }
}

/// The first `max` bytes of `text`, cut at a character boundary.
fn opening(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn exact(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Where the index lives for a config and a store.
pub fn index_dir(configured: Option<&Path>, store: &Store) -> PathBuf {
    configured
        .map(Path::to_path_buf)
        .unwrap_or_else(|| store.default_search_dir())
}
