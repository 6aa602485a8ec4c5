//! Table-driven tests for `warraq_text::shortcode`, written for warraq: the
//! WordPress rules (as `do_shortcode()` reads them), the unknown-shortcode
//! extension, expansion, stripping and the lint.
//!
//! Trees are written in a compact notation (see [`show`]): `«text»`,
//! `<name a=«1» «positional»/>` for a self-closing shortcode,
//! `<name …>children</name>` for an enclosing one, `<?name …/>` for an
//! unknown one and `</?name>` for a stray closing tag.

use warraq_text::shortcode::{
    expand, parse, parse_with_unknown, problems, strip, Document, Node, Problem, ProblemKind,
    Shortcode,
};

/// The plugins our tests pretend to have.
const REGISTERED: &[&str] = &[
    "caption",
    "gallery",
    "embed",
    "audio",
    "tptn_list",
    "contact-form-7",
    "url",
    "a",
    "b",
    "foo",
    "foo-bar",
    "صورة",
];

fn registered(name: &str) -> bool {
    REGISTERED.contains(&name)
}

/// The compact notation of a node list.
fn show(nodes: &[Node]) -> String {
    nodes.iter().map(show_node).collect::<Vec<_>>().join(" ")
}

fn show_node(node: &Node) -> String {
    match node {
        Node::Text(t) => format!("«{t}»"),
        Node::StrayClosing(name) => format!("</?{name}>"),
        Node::Shortcode(sc) => {
            let mark = if sc.known { "" } else { "?" };
            let mut head = format!("<{mark}{}", sc.name);
            for (k, v) in &sc.attrs {
                head.push_str(&format!(" {k}=«{v}»"));
            }
            for v in &sc.positional {
                head.push_str(&format!(" «{v}»"));
            }
            match &sc.content {
                None => format!("{head}/>"),
                Some(children) => format!("{head}>{}</{mark}{}>", show(children), sc.name),
            }
        }
    }
}

/// A renderer that shows what it was given: `{name|k=v|#positional:content}`.
fn render(sc: &Shortcode, content: Option<&str>) -> String {
    let mut out = format!("{{{}", sc.name);
    for (k, v) in &sc.attrs {
        out.push_str(&format!("|{k}={v}"));
    }
    for v in &sc.positional {
        out.push_str(&format!("|#{v}"));
    }
    if let Some(content) = content {
        out.push(':');
        out.push_str(content);
    }
    out.push('}');
    out
}

/// `parse` or `parse_with_unknown`.
type Parse = fn(&str, &dyn Fn(&str) -> bool) -> Vec<Node>;

fn check(table: &[(&str, &str, &str)], parser: Parse) {
    let mut failures = Vec::new();
    for (id, input, expected) in table {
        let got = show(&parser(input, &registered));
        if got != *expected {
            failures.push(format!(
                "{id}\n  input:    {input:?}\n  expected: {expected}\n  got:      {got}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `parse`: WordPress's own reading, registered names only.
const WORDPRESS_TREES: &[(&str, &str, &str)] = &[
    ("plain arabic text", "خبر عاجل من دمشق", "«خبر عاجل من دمشق»"),
    ("no brackets at all is one text node", "", ""),
    ("self-closing", "[gallery]", "<gallery/>"),
    ("self-closing with slash", "[gallery /]", "<gallery/>"),
    ("self-closing slash without space", "[gallery ids=\"1,2,3\"/]", "<gallery ids=«1,2,3»/>"),
    (
        "caption with arabic content",
        "[caption id=\"attachment_12\" align=\"alignright\" width=\"300\"]<img src=\"x.jpg\"> صورة من حمص[/caption]",
        "<caption id=«attachment_12» align=«alignright» width=«300»>«<img src=\"x.jpg\"> صورة من حمص»</caption>",
    ),
    (
        "tptn_list",
        "[tptn_list show_date=\"1\" heading=\"0\" title_length=\"200\" limit=\"5\"]",
        "<tptn_list show_date=«1» heading=«0» title_length=«200» limit=«5»/>",
    ),
    ("text around", "قبل[gallery]بعد", "«قبل» <gallery/> «بعد»"),
    ("unregistered name is text", "قال “[sic]” الوزير", "«قال “[sic]” الوزير»"),
    ("unregistered page builder tag is text", "[vc_row]نص[/vc_row]", "«[vc_row]نص[/vc_row]»"),
    ("names are case-sensitive", "[Gallery] [GALLERY]", "«[Gallery] [GALLERY]»"),
    ("hyphenated name is its own name", "[foo-bar] [foo]", "<foo-bar/> « » <foo/>"),
    ("a name is a whole word: foo-baz is not foo", "[foo-baz] [foo_x] [foox]", "«[foo-baz] [foo_x] [foox]»"),
    ("prefix of a registered name is not it", "[ab]", "«[ab]»"),
    (
        "name followed by punctuation, when the bare name occurs too",
        "[foo.x] [foo]",
        "<foo «.x»/> « » <foo/>",
    ),
    ("name followed by punctuation, alone: not a tag name in the content", "[foo.x]", "«[foo.x]»"),
    ("registered arabic name", "[صورة]", "<صورة/>"),
    ("escaped self-closing", "[[gallery]]", "«[gallery]»"),
    ("escaped with attributes", "[[gallery ids=\"1\"]]", "«[gallery ids=\"1\"]»"),
    ("escaped enclosing keeps its inside unparsed", "[[caption][gallery]نص[/caption]]", "«[caption][gallery]نص[/caption]»"),
    ("double escape", "[[[gallery]]]", "«[[gallery]]»"),
    ("extra open bracket only", "[[gallery]", "«[» <gallery/>"),
    ("extra close bracket only", "[gallery]]", "<gallery/> «]»"),
    (
        "brackets around two tags are not an escape",
        "[[a] [b x=\"1\"]]",
        "«[» <a/> « » <b x=«1»/> «]»",
    ),
    ("unregistered double brackets stay", "[[not-a-tag]]", "«[[not-a-tag]]»"),
    ("enclosing nested", "[a][b]نص[/b][/a]", "<a><b>«نص»</b></a>"),
    (
        "same name nested: content ends at the first closing tag",
        "[a][a]x[/a][/a]",
        "<a><a/> «x»</a> «[/a]»",
    ),
    ("crossed tags", "[a]1[b]2[/a]3[/b]", "<a>«1» <b/> «2»</a> «3[/b]»"),
    ("empty content", "[a][/a]", "<a></a>"),
    ("unclosed enclosing is self-closing", "[caption]نص بلا إغلاق", "<caption/> «نص بلا إغلاق»"),
    ("closing tag is case-sensitive", "[a]x[/A]", "<a/> «x[/A]»"),
    ("closing tag with a space is not one", "[a]x[/a ]", "<a/> «x[/a ]»"),
    ("self-closing slash wins over a later closing tag", "[a/]x[/a]", "<a/> «x[/a]»"),
    ("no closing bracket at all", "[gallery ids=\"1\"", "«[gallery ids=\"1\"»"),
    (
        "attribute text runs to the first ] even past a [",
        "[a x=\"[1\" y=[2]",
        "<a x=«[1» y=«[2»/>",
    ),
    (
        "every attribute form",
        "[a x=\"1\" y='2' z=3 \"p 1\" 'p2' p3]",
        "<a x=«1» y=«2» z=«3» «p 1» «p2» «p3»/>",
    ),
    ("attribute names are lower-cased", "[a ID=\"5\" Align=left]", "<a id=«5» align=«left»/>"),
    ("hyphens in attribute names", "[a foo-bar=\"x\" -baz=\"y\"]", "<a foo-bar=«x» -baz=«y»/>"),
    ("spaces around the equals sign", "[a x = \"1\" y= 2]", "<a x=«1» y=«2»/>"),
    ("no-break space between attributes", "[a x=\"1\"\u{a0}y=\"2\"]", "<a x=«1» y=«2»/>"),
    ("zero-width space between attributes", "[a x=\"1\"\u{200b}y=\"2\"]", "<a x=«1» y=«2»/>"),
    (
        "other unicode spaces are not spaces (thin space, RLM)",
        "[caption id=\"5\"\u{2009}align=\"x\"] [caption id=\"6\"\u{200f}]",
        "<caption «id=\"5\"\u{2009}align=\"x\"»/> « » <caption «id=\"6\"\u{200f}»/>",
    ),
    ("empty named values", "[a x=\"\" y='']", "<a x=«» y=«»/>"),
    ("empty positional values are dropped", "[a \"\" '' z]", "<a «z»/>"),
    ("quote run into the next attribute", "[a x=\"1\"y=\"2\"]", "<a «x=\"1\"y=\"2\"»/>"),
    (
        "unclosed quote degrades to positional words",
        "[a title=\"عنوان طويل]",
        "<a «title=\"عنوان» «طويل»/>",
    ),
    ("arabic attribute names are not names", "[صورة رقم=\"3\"]", "<صورة «رقم=\"3\"»/>"),
    ("duplicate attribute: first place, last value", "[a x=\"1\" y=\"2\" X=\"3\"]", "<a x=«3» y=«2»/>"),
    ("integer attribute names are positional slots", "[a p 1=\"q\" 5=\"r\"]", "<a «p» «q» «r»/>"),
    ("unnamed attribute form [name=value]", "[a=https://example.com]", "<a «=https://example.com»/>"),
    ("a final slash is the self-closing slash", "[a url=http://example.com/]", "<a url=«http://example.com»/>"),
    (
        "positional url keeps its slashes",
        "[embed https://www.youtube.com/watch?v=abc]",
        "<embed «https://www.youtube.com/watch?v=abc»/>",
    ),
    (
        "stripcslashes on values",
        "[a path=\"C:\\new\\folder\" hex=\"\\x41\\102\"]",
        "<a path=«C:\new\u{c}older» hex=«AB»/>",
    ),
    (
        "html in a value must close",
        "[a title=\"<b>عاجل</b>\" alt=\"a<b\" x=\"c>d\"]",
        "<a title=«<b>عاجل</b>» alt=«» x=«c>d»/>",
    ),
    (
        "an unclosed < hides the rest from the shortcode scanner",
        "[a alt=\"<b\"]",
        "«[a alt=\"<b\"]»",
    ),
    ("shortcode in an html attribute", "<a href=\"[url]\">رابط</a>", "«<a href=\"» <url/> «\">رابط</a>»"),
    ("shortcode in an unquoted html attribute", "<a href=[url] >", "«<a href=» <url/> « >»"),
    ("shortcode in the name position of a tag", "<div [gallery]>", "«<div » <gallery/> «>»"),
    ("escape inside a non-tag element", "<[[gallery]]>", "«<[gallery]>»"),
    ("html comment hides shortcodes", "<!-- [gallery] -->[gallery]", "«<!-- [gallery] -->» <gallery/>"),
    ("conditional comment", "<!--[if lt IE 7]><p>x</p><![endif]-->", "«<!--[if lt IE 7]><p>x</p><![endif]-->»"),
    ("cdata hides shortcodes", "<![CDATA[ [gallery] ]]>", "«<![CDATA[ [gallery] ]]>»"),
    (
        "a closing tag inside an html attribute does not close",
        "[caption]<img alt=\"[/caption]\">نص[/caption]",
        "<caption>«<img alt=\"[/caption]\">نص»</caption>",
    ),
    (
        "brackets in a tag do not end a shortcode's attributes",
        "[a]<i title=\"]\">x</i>[/a]",
        "<a>«<i title=\"]\">x</i>»</a>",
    ),
    ("embed with content", "[embed]https://youtu.be/x[/embed]", "<embed>«https://youtu.be/x»</embed>"),
];

/// `parse_with_unknown`: registered names, unknown shortcodes, stray tags.
const UNKNOWN_TREES: &[(&str, &str, &str)] = &[
    (
        "page builder wrappers",
        "[vc_row][vc_column][vc_column_text]<p>النص الكامل</p>[/vc_column_text][/vc_column][/vc_row]",
        "<?vc_row><?vc_column><?vc_column_text>«<p>النص الكامل</p>»</?vc_column_text></?vc_column></?vc_row>",
    ),
    ("editorial [sic] stays text", "قال إن “الوضع [sic] مستقر”", "«قال إن “الوضع [sic] مستقر”»"),
    ("footnote, ellipsis, arabic word", "[1] […] [عاجل] [٣]", "«[1] […] [عاجل] [٣]»"),
    ("bracketed english words stay text", "He said [the minister] agreed", "«He said [the minister] agreed»"),
    ("unknown with a closing tag", "[note]ملاحظة[/note]", "<?note>«ملاحظة»</?note>"),
    ("unknown with an underscore", "[rev_slider]", "<?rev_slider/>"),
    ("unknown with a hyphen", "[ad-slot]", "<?ad-slot/>"),
    ("unknown with a named attribute", "[slider alias=\"home\"]", "<?slider alias=«home»/>"),
    ("positional-only unknown stays text", "[youtube abc123]", "«[youtube abc123]»"),
    ("stray closing tag", "نص[/vc_row]", "«نص» </?vc_row>"),
    ("stray closing tag of a registered name", "x[/caption]", "«x» </?caption>"),
    ("stray closing tag that is not shortcode-shaped stays", "x[/1] [/عاجل]", "«x[/1] [/عاجل]»"),
    (
        "same name nested: the second closing tag is stray",
        "[a][a]x[/a][/a]",
        "<a><a/> «x»</a> </?a>",
    ),
    ("registered names stay known", "[caption]x[/caption]", "<caption>«x»</caption>"),
    ("escaped unknown", "[[vc_row]]", "«[vc_row]»"),
    (
        "an unknown tag does not swallow text up to a later ]",
        "[vc_row css=\".x\"\nالنص كله هنا [/vc_row]",
        "«[vc_row css=\".x\"\nالنص كله هنا » </?vc_row>",
    ),
    (
        "known inside unknown inside known",
        "[caption][vc_column_text][gallery ids=\"1\"][/vc_column_text][/caption]",
        "<caption><?vc_column_text><gallery ids=«1»/></?vc_column_text></caption>",
    ),
    ("unknown name must be ascii and start with a letter", "[_x] [9_x] [x.y_z]", "«[_x] [9_x] [x.y_z]»"),
    ("unknown in an html attribute", "<a href=\"[site_url]\">x</a>", "«<a href=\"» <?site_url/> «\">x</a>»"),
];

#[test]
fn wordpress_trees() {
    check(WORDPRESS_TREES, parse);
}

#[test]
fn unknown_trees() {
    check(UNKNOWN_TREES, parse_with_unknown);
}

/// `expand` over the unknown-aware parse, with [`render`].
const EXPANSIONS: &[(&str, &str, &str)] = &[
    (
        "caption gets expanded content",
        "[caption id=\"attachment_12\" align=\"alignright\"]<img src=\"x.jpg\"> صورة من حمص[/caption]",
        "{caption|id=attachment_12|align=alignright:<img src=\"x.jpg\"> صورة من حمص}",
    ),
    ("self-closing gets no content", "[gallery ids=\"1,2\"]", "{gallery|ids=1,2}"),
    ("empty content is some", "[a][/a]", "{a:}"),
    (
        "page builder keeps every word",
        "[vc_row][vc_column][vc_column_text]<p>أعلنت الحكومة</p><p>اليوم</p>[/vc_column_text][/vc_column][/vc_row]",
        "<p>أعلنت الحكومة</p><p>اليوم</p>",
    ),
    ("unknown self-closing renders nothing", "قبل [vc_empty_space height=\"32px\"] بعد", "قبل  بعد"),
    ("stray closing tags render nothing", "النص[/vc_column_text][/vc_column]", "النص"),
    ("escapes render literally", "اكتب [[gallery]] لعرض الصور", "اكتب [gallery] لعرض الصور"),
    (
        "content is expanded before the outer renderer sees it",
        "[a][vc_column_text][b x=\"1\"]نص[/b][/vc_column_text][/a]",
        "{a:{b|x=1:نص}}",
    ),
    ("positional attributes reach the renderer", "[contact-form-7 404 \"Not Found\"]", "{contact-form-7|#404|#Not Found}"),
    ("extra brackets are kept", "[[a] [b]]", "[{a} {b}]"),
];

#[test]
fn expansions() {
    let mut failures = Vec::new();
    for (id, input, expected) in EXPANSIONS {
        let got = expand(&parse_with_unknown(input, &registered), &mut render);
        if got != *expected {
            failures.push(format!(
                "{id}: {input:?}\n  expected {expected:?}\n  got      {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn expand_in_wordpress_mode_leaves_unregistered_text() {
    let nodes = parse("[vc_row][gallery][/vc_row]", &registered);
    assert_eq!(expand(&nodes, &mut render), "[vc_row]{gallery}[/vc_row]");
}

/// `strip`: clean text, content kept.
const STRIPPED: &[(&str, &str, &str)] = &[
    ("before", "before[gallery]", "before"),
    ("after", "[gallery]after", "after"),
    ("not a shortcode", "before[after", "before[after"),
    ("attributes", "before[gallery id=\"123\" size=\"medium\"]after", "beforeafter"),
    // WordPress's strip_shortcodes() drops the content too: "before  after".
    ("enclosing keeps its content", "before [a]content[/a] after", "before content after"),
    (
        "arabic article in page builder tags",
        "[vc_row full_width=\"stretch_row\"][vc_column width=\"2/3\"][vc_column_text]قال المتحدث إن [sic] الأمور مستقرة.[/vc_column_text][/vc_column][/vc_row]",
        "قال المتحدث إن [sic] الأمور مستقرة.",
    ),
    ("escaped stays literal", "[[gallery]]", "[gallery]"),
    ("stray tags go", "نص[/vc_row] آخر", "نص آخر"),
    ("unknown shortcode in an html attribute goes", "<a title=\"[tooltip_text]\">x</a>", "<a title=\"\">x</a>"),
];

#[test]
fn stripped() {
    for (id, input, expected) in STRIPPED {
        assert_eq!(strip(input, &registered), *expected, "{id}: {input:?}");
    }
}

#[test]
fn problems_are_counted_by_kind_and_name() {
    let body = "[vc_row][vc_column]نص[/vc_column][/vc_row]\n[vc_row]ثانٍ[/vc_row][/vc_column]\n\
                [caption]x[/caption][rev_slider alias=\"a\"][/vc_row]\n[vc_section css=\".x\"\nبقية النص";
    let found = problems(body, &registered);
    let brief: Vec<(ProblemKind, &str, usize)> = found
        .iter()
        .map(|p| (p.kind, p.name.as_str(), p.count))
        .collect();
    assert_eq!(
        brief,
        vec![
            (ProblemKind::UnknownShortcode, "vc_row", 2),
            (ProblemKind::UnknownShortcode, "vc_column", 1),
            (ProblemKind::StrayClosingTag, "vc_column", 1),
            (ProblemKind::UnknownShortcode, "rev_slider", 1),
            (ProblemKind::StrayClosingTag, "vc_row", 1),
            (ProblemKind::UnclosedTag, "vc_section", 1),
        ]
    );
    assert_eq!(found[0].first_offset, 0);
    let vc_section = body.find("[vc_section").unwrap();
    assert_eq!(found[5].first_offset, vc_section);
}

#[test]
fn no_problems_in_a_clean_body() {
    let body = "<p>نص عادي مع [sic] و[1]</p>[caption id=\"1\"]<img src=\"a.jpg\">[/caption]";
    assert_eq!(problems(body, &registered), Vec::<Problem>::new());
}

#[test]
fn shortcodes_swallowed_into_attribute_text_are_not_reported() {
    let input = "[caption x=\"<a title='[vc_tip]'>\"]";
    assert_eq!(
        show(&parse_with_unknown(input, &registered)),
        "<caption x=«<a title='[vc_tip]'>»/>"
    );
    assert_eq!(problems(input, &registered), Vec::<Problem>::new());
    // On its own, the same tag piece is scanned and the unknown reported.
    let alone = problems("<a title='[vc_tip]'>", &registered);
    assert_eq!(alone.len(), 1);
    assert_eq!(
        (alone[0].kind, alone[0].name.as_str(), alone[0].first_offset),
        (ProblemKind::UnknownShortcode, "vc_tip", 10)
    );
}

#[test]
fn registered_tag_that_swallows_a_bracket_is_flagged() {
    let found = problems("[caption id=\"1\" [gallery] x]", &registered);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].kind, found[0].name.as_str()),
        (ProblemKind::UnclosedTag, "caption")
    );
}

#[test]
fn json_shape() {
    let nodes = parse(
        "قبل [caption id=\"attachment_12\" align=\"alignright\" \"p\"]<img src=\"x.jpg\"> صورة[/caption][gallery]",
        &registered,
    );
    let json = serde_json::to_string(&Document { nodes }).unwrap();
    assert_eq!(
        json,
        r#"{"nodes":[{"type":"text","text":"قبل "},{"type":"shortcode","name":"caption","attrs":{"id":"attachment_12","align":"alignright"},"positional":["p"],"content":[{"type":"text","text":"<img src=\"x.jpg\"> صورة"}]},{"type":"shortcode","name":"gallery","attrs":{},"positional":[],"content":null}]}"#
    );
    let stray = parse_with_unknown("[/vc_row]", &registered);
    assert_eq!(
        serde_json::to_string(&Document { nodes: stray }).unwrap(),
        r#"{"nodes":[{"type":"stray_closing","name":"vc_row"}]}"#
    );
}

#[test]
fn shortcode_attr_lookup() {
    let nodes = parse("[caption id=\"7\" ALIGN=\"alignleft\"]", &registered);
    let Node::Shortcode(sc) = &nodes[0] else {
        panic!("{nodes:?}")
    };
    assert_eq!(sc.attr("align"), Some("alignleft"));
    assert_eq!(sc.attr("width"), None);
}

#[test]
fn predicate_sees_only_candidate_names() {
    let seen = std::cell::RefCell::new(Vec::new());
    let pred = |name: &str| {
        seen.borrow_mut().push(name.to_string());
        name == "gallery"
    };
    parse("[gallery] [gallery] [x y] [/z] []", &pred);
    let mut seen = seen.into_inner();
    seen.sort();
    // Asked once per distinct name after a `[`, never for `/z` or "".
    assert_eq!(seen, vec!["gallery", "x"]);
}

// Robustness: sizes that would hurt a quadratic scanner. These assert the
// behaviour; the timing shows in how long the test takes.

#[test]
fn a_megabyte_of_open_brackets() {
    let input = "[".repeat(1 << 20);
    let nodes = parse_with_unknown(&input, &|_| true);
    assert_eq!(nodes, vec![Node::Text(input.clone())]);
    assert_eq!(strip(&input, &registered), input);
    assert!(problems(&input, &registered).is_empty());
}

#[test]
fn a_megabyte_of_brackets_and_names() {
    for unit in [
        "[a", "[a]", "[/a]", "[[a]]", "[vc_row ", "[a=\"", "]", "[]", "[a][b]", "<[a]",
    ] {
        let input = unit.repeat((1 << 18) / unit.len());
        let nodes = parse_with_unknown(&input, &registered);
        let stripped = strip(&input, &registered);
        assert!(stripped.len() <= input.len(), "{unit}");
        assert!(!nodes.is_empty() || input.is_empty(), "{unit}");
    }
    // Every `[a]` is its own self-closing shortcode.
    let input = "[a]".repeat(100_000);
    assert_eq!(parse(&input, &registered).len(), 100_000);
}

#[test]
fn long_unclosed_attribute_text() {
    let input = format!("[a title=\"{}", "كلمة ".repeat(200_000));
    assert_eq!(parse(&input, &registered), vec![Node::Text(input.clone())]);
}

#[test]
fn deep_nesting_is_bounded_and_keeps_every_word() {
    let depth = 300;
    let mut input = String::new();
    for i in 0..depth {
        input.push_str(&format!("[wrap_{i}]كلمة{i} "));
    }
    for i in (0..depth).rev() {
        input.push_str(&format!("[/wrap_{i}]"));
    }
    let nodes = parse_with_unknown(&input, &registered);
    let stripped = strip(&input, &registered);
    for i in 0..depth {
        assert!(stripped.contains(&format!("كلمة{i} ")), "{i}");
    }
    assert!(!stripped.contains('['), "{stripped}");
    // The tree is at most 100 enclosing levels deep.
    fn depth_of(nodes: &[Node]) -> usize {
        nodes
            .iter()
            .map(|n| match n {
                Node::Shortcode(Shortcode {
                    content: Some(c), ..
                }) => 1 + depth_of(c),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    assert_eq!(depth_of(&nodes), 100);
    let json = serde_json::to_string(&Document { nodes }).unwrap();
    assert!(json.len() > input.len());
}

#[test]
fn many_registered_names_at_once() {
    // A predicate that accepts everything makes every bracketed word a
    // shortcode; still linear and panic-free.
    let input = "[x.y.z.w] [a-b-c d] [ن] [[q]] ".repeat(20_000);
    let nodes = parse(&input, &|_| true);
    assert!(nodes.len() > 60_000);
}
