/*
 * The composer card's renderers: accounts to post to, the live checks with their fixes, hints and
 * engagement score, hashtag chips, moderation's decision and the platform's post card. studio.js
 * calls them with what the server's live checks answered; they only touch the card's DOM.
 */
(function () {
  "use strict";

  // Django's JavaScript catalog (/jsi18n/, loaded before this script) translates into the page's language.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, key) { return String(values[key]); });
  };

  function part(card, selector) {
    return card.querySelector(selector);
  }

  // The team's accounts, once per card: the card's own platform ticked at first.
  function showAccounts(card, accounts, seq, onChange) {
    var box = part(card, ".composer-accounts");
    if (card.dataset.accountsShown || !accounts) {
      return;
    }
    card.dataset.accountsShown = "1";
    var list = part(card, ".composer-account-list");
    var same = accounts.filter(function (a) {
      return a.platform === card.dataset.platform;
    });
    accounts.forEach(function (account) {
      var id = "acct-" + seq + "-" + account.id + "-" + card.dataset.platform;
      var wrap = document.createElement("div");
      wrap.className = "form-check";
      var input = document.createElement("input");
      input.type = "checkbox";
      input.className = "form-check-input";
      input.name = "account_ids";
      input.value = account.id;
      input.id = id;
      input.checked = same.length ? account.platform === card.dataset.platform : false;
      input.addEventListener("change", onChange);
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.setAttribute("for", id);
      label.textContent = account.name + " · " + account.platformLabel;
      wrap.appendChild(input);
      wrap.appendChild(label);
      list.appendChild(wrap);
    });
    box.hidden = accounts.length === 0;
  }

  function showIssues(card, issues) {
    var list = part(card, ".composer-issues");
    list.textContent = "";
    issues.forEach(function (issue) {
      var item = document.createElement("li");
      item.className = "composer-issue composer-issue-" + issue.severity;
      item.dataset.code = issue.code;
      var message = document.createElement("strong");
      message.textContent = issue.message;
      item.appendChild(message);
      if (issue.fix) {
        var fix = document.createElement("span");
        fix.className = "composer-fix";
        fix.textContent = " " + issue.fix;
        item.appendChild(fix);
      }
      if (issue.url) {
        var link = document.createElement("a");
        link.href = issue.url;
        link.className = "ms-1";
        link.textContent = "→";
        item.appendChild(link);
      }
      list.appendChild(item);
    });
  }

  function showHints(card, engagement) {
    var score = part(card, ".preview-score");
    score.hidden = false;
    score.textContent = interpolate(gettext("Engagement %(score)s/100"), { score: engagement.score }, true);
    score.className = "status-badge preview-score " + (engagement.score >= 70 ? "status-success" : "status-warning");
    var reasons = part(card, ".preview-reasons");
    reasons.textContent = "";
    engagement.reasons.slice(0, 3).forEach(function (reason) {
      var item = document.createElement("li");
      item.textContent = reason;
      reasons.appendChild(item);
    });
    // Where the score comes from (the team's model or platform benchmarks) follows each edit too.
    var source = card.querySelector(".preview-notes [data-note='score-source']");
    if (source && engagement.sourceLabel) {
      source.textContent = engagement.sourceLabel;
    }
  }

  function showHashtags(card, hashtags) {
    var chips = part(card, ".preview-hashtags");
    chips.textContent = "";
    hashtags.forEach(function (tag) {
      var chip = document.createElement("span");
      chip.className = "hashtag-chip";
      chip.textContent = tag;
      chips.appendChild(chip);
    });
  }

  // The post card is built by the server from the outgoing text; its HTML arrives escaped.
  function showPreview(card, preview) {
    part(card, ".pv-name").textContent = preview.name;
    part(card, ".pv-avatar").textContent = preview.initial;
    part(card, ".pv-visible").innerHTML = preview.visibleHtml;
    var more = part(card, ".pv-more");
    more.innerHTML = preview.moreHtml;
    var folded = !!preview.moreHtml;
    var open = card.dataset.seeMoreOpen === "1";
    more.hidden = folded && !open;
    part(card, ".pv-see-more").hidden = !folded || open;
    part(card, ".pv-card").dataset.text = preview.text;
    var comment = part(card, ".pv-comment");
    part(card, ".pv-comment-text").innerHTML = preview.firstCommentHtml || "";
    comment.hidden = !preview.firstCommentHtml;
  }

  // Moderation's decision on the generated text, with its reasons: shown to the author while writing.
  function showModeration(card, moderation) {
    var box = part(card, ".preview-moderation");
    var decision = moderation && moderation.decision;
    if (!box || !decision || decision === "allow") {
      if (box) box.hidden = true;
      return;
    }
    var badge = part(card, ".preview-moderation-badge");
    badge.textContent = decision === "block" ? box.dataset.labelBlock : box.dataset.labelFlag;
    badge.className = "status-badge preview-moderation-badge " + (decision === "block" ? "status-failed" : "status-warning");
    var list = part(card, ".preview-moderation-reasons");
    list.textContent = "";
    var seen = {};
    (moderation.reasons || []).forEach(function (reason) {
      var key = String(reason.message).toLowerCase();
      if (seen[key]) return; // one line per reason, not per occurrence
      seen[key] = true;
      var item = document.createElement("li");
      item.textContent = reason.message;
      list.appendChild(item);
    });
    box.dataset.decision = decision;
    box.hidden = false;
  }

  window.ComposerCard = {
    accounts: showAccounts,
    issues: showIssues,
    hints: showHints,
    hashtags: showHashtags,
    preview: showPreview,
    moderation: showModeration,
  };
})();
