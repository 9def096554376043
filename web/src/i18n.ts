/**
 * English and Simplified Chinese. The choice is kept in localStorage and mirrored in `<html lang>`; views read
 * strings through `t`, so a language switch is a re-render.
 */

export const LANGUAGES = ["en", "zh-CN"] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = "govchain.portal.language";

const en = {
  "app.title": "GovChain verification portal",
  "app.tagline": "Check certificates, property titles and who used your data — straight from the public registries.",
  "app.skip": "Skip to content",
  "app.footer": "Reads the registries directly over JSON-RPC. The page holds no keys and sends nothing to a server.",
  "app.network": "Network {network} (chain {chainId})",
  "nav.label": "Main",
  "nav.verify": "Verify a certificate",
  "nav.title": "Property titles",
  "nav.mydata": "My data",
  "lang.switch": "中文",
  "lang.switchLabel": "切换到中文",
  "common.loading": "Reading the chain…",
  "common.error": "Something went wrong: {message}",
  "common.yes": "yes",
  "common.no": "no",
  "common.never": "no end date",
  "common.back": "Back to the verification",
  "error.config": "The portal is not configured: {message}",
  "error.connect": "The blockchain node cannot be reached: {message}",

  "verify.heading": "Verify a certificate",
  "verify.intro":
    "Open a certificate file (.json) issued on GovChain. It is checked in this browser against the registries; the file is not uploaded anywhere.",
  "verify.drop": "Drop a certificate file here, or",
  "verify.choose": "Choose a certificate file",
  "verify.notJson": "This file is not a JSON document: {message}",
  "verify.badLink": "The verification link is damaged: {message}",
  "verify.empty": "No certificate yet. Choose a file or open a verification link.",
  "verify.source.file": "File: {name}",
  "verify.source.link": "Opened from a verification link",
  "verify.valid": "Valid certificate",
  "verify.validText": "This certificate is authentic, was issued by an authorised agency and is in force.",
  "verify.invalid": "Not valid",
  "verify.checks": "Checks",
  "verify.details": "Certificate",
  "verify.fields": "Disclosed fields",
  "verify.noFields": "No content fields are disclosed.",
  "verify.hidden": "Hidden fields",
  "verify.hiddenNote":
    "The holder chose not to show these fields. Their names are authentic; their values are not shown and cannot be guessed from the document.",
  "verify.noneHidden": "Nothing is hidden: the full certificate is shown.",
  "verify.history": "History",
  "verify.whatToDo": "What to do",
  "verify.print": "Printable page with QR code",
  "verify.another": "Verify another certificate",
  "verify.technical": "Technical detail",

  "check.integrity": "Integrity",
  "check.issuance": "Issuance",
  "check.status": "Status",
  "check.validity": "Validity period",
  "check.issuer": "Issuer identity",
  "outcome.passed": "passed",
  "outcome.failed": "failed",
  "outcome.skipped": "not checked",
  "passed.integrity": "The document is exactly as the agency issued it.",
  "passed.issuance": "The certificate registry recorded its issuance on {date}.",
  "passed.status": "It has not been revoked, suspended or replaced.",
  "passed.validity": "It is valid from {from} until {until}.",
  "passed.issuer": "Issued by {agency} with a key it had authorised.",
  "skipped.any": "Not checked, because an earlier check failed.",

  "issue.MALFORMED_CERTIFICATE": "The file is not a GovChain certificate.",
  "issue.CERTIFICATE_ID_MISMATCH": "The document was altered after it was issued: its contents do not match its id.",
  "issue.HOLDER_COMMITMENT_MISMATCH": "The holder's identity in the document was altered.",
  "issue.BATCH_PROOF_INVALID": "The document does not belong to the batch it claims.",
  "issue.WRONG_CHAIN": "The certificate belongs to another network than this portal reads.",
  "issue.WRONG_REGISTRY": "The certificate belongs to another certificate registry than this portal reads.",
  "issue.CERTIFICATE_NOT_ISSUED": "The registry has no record of this certificate: it was never issued.",
  "issue.TYPE_MISMATCH": "The certificate type in the document differs from the registry's.",
  "issue.UNKNOWN_TYPE": "The registry does not know this certificate type.",
  "issue.AGENCY_MISMATCH": "The document names another issuer than the agency that owns the certificate type.",
  "issue.HOLDER_COMMITMENT_NOT_ON_CHAIN": "The holder in the document is not the holder the registry recorded.",
  "issue.CERTIFICATE_REVOKED": "The certificate was revoked.",
  "issue.CERTIFICATE_SUSPENDED": "The certificate is suspended.",
  "issue.CERTIFICATE_SUPERSEDED": "The certificate was replaced by a newer one.",
  "issue.CERTIFICATE_NOT_YET_VALID": "The certificate is not valid yet.",
  "issue.CERTIFICATE_EXPIRED": "The certificate has expired.",
  "issue.VALIDITY_MISMATCH": "The validity dates in the document differ from the registry's.",
  "issue.UNKNOWN_AGENCY": "The agency directory does not know the issuing agency.",
  "issue.AGENCY_SUSPENDED": "The issuing agency is suspended.",
  "issue.UNKNOWN_ISSUER_KEY": "The key that issued it is unknown to the agency directory.",
  "issue.ISSUER_KEY_WRONG_AGENCY": "The key that issued it acts for another agency.",
  "issue.ISSUER_KEY_COMPROMISED": "The key that issued it had been reported compromised.",
  "issue.ISSUER_KEY_NOT_AUTHORIZED": "The key that issued it was not authorised to issue certificates then.",

  "advice.tampered":
    "Do not rely on this document. Ask the holder for the original file, or ask the issuing agency to confirm it.",
  "advice.revoked": "Revoked on {date}. Reason: {reason}. It no longer proves anything; ask the holder for a current certificate.",
  "advice.suspended": "The issuing agency has suspended it for now. Contact {agency} before relying on it.",
  "advice.superseded": "The agency issued a replacement. Ask the holder for the new certificate:",
  "advice.supersededLink": "see the replacement's record",
  "advice.expired": "Ask the holder for a renewed certificate.",
  "advice.notIssued": "This certificate was never issued on this network. Check that it comes from GovChain.",
  "advice.issuer": "The issuer's authority could not be confirmed. Contact the agency directly.",
  "advice.other": "Contact the issuing agency.",

  "field.type": "Certificate type",
  "field.agency": "Issuing agency",
  "field.agencyClaimed": "Issuing agency (as the document claims, not confirmed)",
  "field.certificateId": "Certificate id",
  "field.issuedAt": "Issued",
  "field.validFrom": "Valid from",
  "field.validUntil": "Valid until",
  "field.status": "Status",
  "field.reason": "Revocation reason",
  "field.replacedBy": "Replaced by",
  "field.holder": "Holder id",
  "field.jurisdiction": "Jurisdiction",

  "status.0": "not issued",
  "status.1": "in force",
  "status.2": "revoked",
  "status.3": "suspended",
  "status.4": "superseded",

  "event.issued": "Issued",
  "event.revoked": "Revoked",
  "event.suspended": "Suspended",
  "event.reinstated": "Reinstated",
  "event.superseded": "Replaced",
  "event.detached": "Detached from its batch",

  "reason.0": "unspecified",
  "reason.1": "issued in error",
  "reason.2": "at the holder's request",
  "reason.3": "obtained by fraud",
  "reason.4": "by court order",
  "reason.5": "the holder died",
  "reason.6": "the conditions of issue are no longer met",

  "record.heading": "Certificate record",
  "record.intro": "What the certificate registry records about one certificate id.",
  "record.unknown": "The registry has no certificate with this id.",
  "record.badId": "Not a certificate id (0x followed by 64 hex digits).",

  "print.heading": "Printable certificate",
  "print.intro":
    "Print this page or save it as PDF. The QR code opens this portal's verification of exactly what is printed.",
  "print.hide": "Hide before printing",
  "print.hideHelp": "Hidden fields stay verifiable: the QR code carries the disclosed form.",
  "print.print": "Print",
  "print.none": "Open a certificate first (on the verification page).",
  "print.scan": "Scan to verify",
  "print.tooLarge": "This certificate is too large for a QR code. Hide some fields to make it fit.",
  "print.issuedBy": "Issued by {agency}",
  "print.hiddenCount": "{count} field(s) hidden by the holder",

  "title.heading": "Property titles",
  "title.intro": "Look up a title by its parcel number: owners and shares, liens, freezes, lineage and history.",
  "title.parcel": "Parcel number",
  "title.search": "Look up",
  "title.notDeployed": "The title registry is not deployed on this network yet.",
  "title.notFound": "No title is registered for parcel {parcel}.",
  "title.owners": "Owners",
  "title.owner": "Owner",
  "title.share": "Share",
  "title.liens": "Liens",
  "title.noLiens": "No liens.",
  "title.freezes": "Freezes and restrictions",
  "title.noFreezes": "No freezes or restrictions.",
  "title.lineage": "Lineage",
  "title.noLineage": "This parcel was neither split nor merged.",
  "title.timeline": "History",
  "title.status": "Title status",
  "title.lender": "Lender",
  "title.amount": "Amount",
  "title.rank": "Rank",
  "title.authority": "Authority",
  "title.kind": "Kind",
  "title.since": "Since",
  "title.until": "Until",
  "title.parents": "Derived from",
  "title.children": "Split or merged into",

  "mydata.heading": "My data",
  "mydata.intro":
    "Who may use your data, who has, and for what. Enter your account address to read it, or connect a browser wallet to also grant or withdraw consent.",
  "mydata.subject": "Account address",
  "mydata.show": "Show",
  "mydata.connect": "Connect wallet",
  "mydata.connected": "Connected as {account}",
  "mydata.noWallet": "No browser wallet found: the page is read-only. You can still look up any address.",
  "mydata.badAddress": "Not an account address (0x followed by 40 hex digits).",
  "mydata.active": "Active consents",
  "mydata.noActive": "No active consents.",
  "mydata.past": "Expired, used or withdrawn consents",
  "mydata.noPast": "None.",
  "mydata.receipts": "Access receipts",
  "mydata.noReceipts": "No one has accessed your data through GovChain.",
  "mydata.dataset": "Dataset",
  "mydata.requester": "Who",
  "mydata.purpose": "Purpose",
  "mydata.expires": "Expires",
  "mydata.state": "State",
  "mydata.when": "When",
  "mydata.record": "Record",
  "mydata.actions": "Actions",
  "mydata.singleUse": "single use",
  "mydata.revoke": "Withdraw",
  "mydata.revokeLabel": "Withdraw consent for {dataset} to {requester}",
  "mydata.state.active": "active",
  "mydata.state.expired": "expired",
  "mydata.state.revoked": "withdrawn",
  "mydata.state.consumed": "used",
  "mydata.enterprise": "Enterprise {account}",
  "mydata.grant": "Grant a consent",
  "mydata.grantHelp": "You sign the consent in your wallet; an agency records it on the chain (you pay no fees).",
  "mydata.requesterAgency": "Agency",
  "mydata.requesterEnterprise": "or an enterprise account",
  "mydata.requesterNone": "— choose —",
  "mydata.expiresAt": "Valid until",
  "mydata.sign": "Sign and send",
  "mydata.signing": "Waiting for your wallet…",
  "mydata.relayed": "Recorded on the chain in transaction {hash}.",
  "mydata.download": "No relay is configured. Download the signed message and give it to the agency:",
  "mydata.downloadLink": "signed consent (JSON)",
  "mydata.signFailed": "Not sent: {message}",
  "mydata.wrongAccount": "Your wallet is connected as {account}; show that account's data to act on it.",
  "mydata.datasetRequired": "Choose a dataset, a requester and a purpose.",
} as const;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
  "app.title": "GovChain 核验门户",
  "app.tagline": "直接从公共登记链上核验证照、查询不动产权属，并查看谁使用了您的数据。",
  "app.skip": "跳到正文",
  "app.footer": "本页面通过 JSON-RPC 直接读取链上登记簿，不保存任何私钥，也不向服务器上传任何内容。",
  "app.network": "网络 {network}（链 {chainId}）",
  "nav.label": "主导航",
  "nav.verify": "核验证照",
  "nav.title": "不动产权属",
  "nav.mydata": "我的数据",
  "lang.switch": "English",
  "lang.switchLabel": "Switch to English",
  "common.loading": "正在读取链上数据…",
  "common.error": "出错了：{message}",
  "common.yes": "是",
  "common.no": "否",
  "common.never": "长期有效",
  "common.back": "返回核验",
  "error.config": "门户尚未配置：{message}",
  "error.connect": "无法连接区块链节点：{message}",

  "verify.heading": "核验证照",
  "verify.intro": "打开在 GovChain 上签发的证照文件（.json）。核验在本浏览器内对照链上登记簿完成，文件不会上传到任何地方。",
  "verify.drop": "将证照文件拖放到此处，或",
  "verify.choose": "选择证照文件",
  "verify.notJson": "该文件不是 JSON 文档：{message}",
  "verify.badLink": "核验链接已损坏：{message}",
  "verify.empty": "尚未打开证照。请选择文件或打开核验链接。",
  "verify.source.file": "文件：{name}",
  "verify.source.link": "来自核验链接",
  "verify.valid": "证照有效",
  "verify.validText": "该证照真实、由获授权的机构签发，且现行有效。",
  "verify.invalid": "证照无效",
  "verify.checks": "核验项目",
  "verify.details": "证照信息",
  "verify.fields": "已披露字段",
  "verify.noFields": "未披露任何内容字段。",
  "verify.hidden": "已隐藏字段",
  "verify.hiddenNote": "持证人选择不展示这些字段。字段名称真实可信；字段内容不展示，也无法从文件中推测。",
  "verify.noneHidden": "未隐藏任何字段：展示的是完整证照。",
  "verify.history": "历史记录",
  "verify.whatToDo": "处理建议",
  "verify.print": "打印版（含二维码）",
  "verify.another": "核验其他证照",
  "verify.technical": "技术细节",

  "check.integrity": "完整性",
  "check.issuance": "签发记录",
  "check.status": "状态",
  "check.validity": "有效期",
  "check.issuer": "签发机构身份",
  "outcome.passed": "通过",
  "outcome.failed": "未通过",
  "outcome.skipped": "未核验",
  "passed.integrity": "文件内容与机构签发时完全一致。",
  "passed.issuance": "证照登记簿于 {date} 记录了其签发。",
  "passed.status": "未被撤销、暂停或替换。",
  "passed.validity": "有效期自 {from} 至 {until}。",
  "passed.issuer": "由{agency}使用其授权密钥签发。",
  "skipped.any": "因前一项核验未通过，未核验此项。",

  "issue.MALFORMED_CERTIFICATE": "该文件不是 GovChain 证照。",
  "issue.CERTIFICATE_ID_MISMATCH": "文件在签发后被篡改：内容与证照编号不符。",
  "issue.HOLDER_COMMITMENT_MISMATCH": "文件中的持证人身份被篡改。",
  "issue.BATCH_PROOF_INVALID": "该文件不属于其声称的签发批次。",
  "issue.WRONG_CHAIN": "该证照属于其他网络，而非本门户读取的网络。",
  "issue.WRONG_REGISTRY": "该证照属于其他证照登记簿。",
  "issue.CERTIFICATE_NOT_ISSUED": "登记簿中没有该证照的记录：它从未被签发。",
  "issue.TYPE_MISMATCH": "文件中的证照类型与登记簿记录不符。",
  "issue.UNKNOWN_TYPE": "登记簿中没有该证照类型。",
  "issue.AGENCY_MISMATCH": "文件所称签发机构与该证照类型的所属机构不符。",
  "issue.HOLDER_COMMITMENT_NOT_ON_CHAIN": "文件中的持证人与登记簿记录的持证人不符。",
  "issue.CERTIFICATE_REVOKED": "该证照已被撤销。",
  "issue.CERTIFICATE_SUSPENDED": "该证照已被暂停。",
  "issue.CERTIFICATE_SUPERSEDED": "该证照已被新证照替换。",
  "issue.CERTIFICATE_NOT_YET_VALID": "该证照尚未生效。",
  "issue.CERTIFICATE_EXPIRED": "该证照已过期。",
  "issue.VALIDITY_MISMATCH": "文件中的有效期与登记簿记录不符。",
  "issue.UNKNOWN_AGENCY": "机构名录中没有该签发机构。",
  "issue.AGENCY_SUSPENDED": "签发机构已被暂停。",
  "issue.UNKNOWN_ISSUER_KEY": "机构名录中没有签发所用的密钥。",
  "issue.ISSUER_KEY_WRONG_AGENCY": "签发所用的密钥属于其他机构。",
  "issue.ISSUER_KEY_COMPROMISED": "签发所用的密钥此前已被报告泄露。",
  "issue.ISSUER_KEY_NOT_AUTHORIZED": "签发时该密钥无权签发证照。",

  "advice.tampered": "请勿采信此文件。请向持证人索取原始文件，或请签发机构确认。",
  "advice.revoked": "已于 {date} 撤销。原因：{reason}。该证照已不具证明效力，请向持证人索取现行有效的证照。",
  "advice.suspended": "签发机构已暂停该证照。采信前请联系{agency}。",
  "advice.superseded": "签发机构已签发替换证照。请向持证人索取新证照：",
  "advice.supersededLink": "查看替换证照的登记记录",
  "advice.expired": "请向持证人索取续期后的证照。",
  "advice.notIssued": "该证照从未在本网络签发。请确认其来自 GovChain。",
  "advice.issuer": "无法确认签发机构的权限。请直接联系该机构。",
  "advice.other": "请联系签发机构。",

  "field.type": "证照类型",
  "field.agency": "签发机构",
  "field.agencyClaimed": "签发机构（文件所称，未经确认）",
  "field.certificateId": "证照编号",
  "field.issuedAt": "签发时间",
  "field.validFrom": "生效时间",
  "field.validUntil": "失效时间",
  "field.status": "状态",
  "field.reason": "撤销原因",
  "field.replacedBy": "替换为",
  "field.holder": "持证人证件号",
  "field.jurisdiction": "辖区",

  "status.0": "未签发",
  "status.1": "有效",
  "status.2": "已撤销",
  "status.3": "已暂停",
  "status.4": "已替换",

  "event.issued": "签发",
  "event.revoked": "撤销",
  "event.suspended": "暂停",
  "event.reinstated": "恢复",
  "event.superseded": "替换",
  "event.detached": "脱离批次",

  "reason.0": "未说明",
  "reason.1": "错误签发",
  "reason.2": "应持证人申请",
  "reason.3": "以欺诈手段取得",
  "reason.4": "依法院命令",
  "reason.5": "持证人已故",
  "reason.6": "签发条件已不再满足",

  "record.heading": "证照登记记录",
  "record.intro": "证照登记簿对某一证照编号的记录。",
  "record.unknown": "登记簿中没有该编号的证照。",
  "record.badId": "不是有效的证照编号（0x 加 64 位十六进制数字）。",

  "print.heading": "打印证照",
  "print.intro": "打印本页或另存为 PDF。扫描二维码即可在本门户核验所打印的内容。",
  "print.hide": "打印前隐藏",
  "print.hideHelp": "隐藏的字段仍可核验：二维码携带的是披露后的版本。",
  "print.print": "打印",
  "print.none": "请先在核验页面打开一份证照。",
  "print.scan": "扫码核验",
  "print.tooLarge": "该证照内容过多，无法放入二维码。请隐藏部分字段。",
  "print.issuedBy": "签发机构：{agency}",
  "print.hiddenCount": "持证人隐藏了 {count} 个字段",

  "title.heading": "不动产权属",
  "title.intro": "按宗地编号查询权属：权利人及份额、抵押、查封、宗地沿革及完整历史。",
  "title.parcel": "宗地编号",
  "title.search": "查询",
  "title.notDeployed": "本网络尚未部署不动产登记簿。",
  "title.notFound": "宗地 {parcel} 没有登记的权属。",
  "title.owners": "权利人",
  "title.owner": "权利人",
  "title.share": "份额",
  "title.liens": "抵押",
  "title.noLiens": "无抵押。",
  "title.freezes": "查封与限制",
  "title.noFreezes": "无查封或限制。",
  "title.lineage": "宗地沿革",
  "title.noLineage": "该宗地未经分割或合并。",
  "title.timeline": "历史记录",
  "title.status": "权属状态",
  "title.lender": "抵押权人",
  "title.amount": "金额",
  "title.rank": "顺位",
  "title.authority": "机关",
  "title.kind": "类型",
  "title.since": "起始",
  "title.until": "截止",
  "title.parents": "来源宗地",
  "title.children": "分割或合并为",

  "mydata.heading": "我的数据",
  "mydata.intro": "谁可以使用您的数据、谁已经使用、用于何种目的。输入账户地址即可查看；连接浏览器钱包后还可授权或撤回同意。",
  "mydata.subject": "账户地址",
  "mydata.show": "查看",
  "mydata.connect": "连接钱包",
  "mydata.connected": "已连接：{account}",
  "mydata.noWallet": "未检测到浏览器钱包：页面为只读。您仍可查询任意地址。",
  "mydata.badAddress": "不是有效的账户地址（0x 加 40 位十六进制数字）。",
  "mydata.active": "有效的授权",
  "mydata.noActive": "没有有效的授权。",
  "mydata.past": "已过期、已使用或已撤回的授权",
  "mydata.noPast": "无。",
  "mydata.receipts": "访问记录",
  "mydata.noReceipts": "尚无任何人通过 GovChain 访问您的数据。",
  "mydata.dataset": "数据集",
  "mydata.requester": "使用方",
  "mydata.purpose": "用途",
  "mydata.expires": "到期",
  "mydata.state": "状态",
  "mydata.when": "时间",
  "mydata.record": "记录",
  "mydata.actions": "操作",
  "mydata.singleUse": "一次性",
  "mydata.revoke": "撤回",
  "mydata.revokeLabel": "撤回对{requester}使用{dataset}的授权",
  "mydata.state.active": "有效",
  "mydata.state.expired": "已过期",
  "mydata.state.revoked": "已撤回",
  "mydata.state.consumed": "已使用",
  "mydata.enterprise": "企业 {account}",
  "mydata.grant": "授权使用",
  "mydata.grantHelp": "您在钱包中签名授权，由机构将其记录上链（您无需支付费用）。",
  "mydata.requesterAgency": "机构",
  "mydata.requesterEnterprise": "或企业账户",
  "mydata.requesterNone": "— 请选择 —",
  "mydata.expiresAt": "有效期至",
  "mydata.sign": "签名并提交",
  "mydata.signing": "请在钱包中确认…",
  "mydata.relayed": "已上链，交易 {hash}。",
  "mydata.download": "未配置中继服务。请下载已签名的消息并交给相关机构：",
  "mydata.downloadLink": "已签名的授权（JSON）",
  "mydata.signFailed": "未提交：{message}",
  "mydata.wrongAccount": "钱包当前连接的账户为 {account}；请查看该账户的数据后再操作。",
  "mydata.datasetRequired": "请选择数据集、使用方和用途。",
};

const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en, "zh-CN": zhCN };

let current: Language = "en";

function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** Picks the saved language, else the browser's, and sets `<html lang>`. */
export function initLanguage(): Language {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage may be disabled; the default then applies.
  }
  const preferred = navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
  return setLanguage(isLanguage(saved) ? saved : preferred, false);
}

/** Switches the language (and remembers it unless `persist` is false). */
export function setLanguage(language: Language, persist = true): Language {
  current = language;
  document.documentElement.lang = language;
  document.title = t("app.title");
  if (persist) {
    try {
      localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // Not remembered, but switched.
    }
  }
  return language;
}

export function language(): Language {
  return current;
}

/** The string for `key` in the current language, with `{name}` placeholders filled from `values`. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return DICTIONARIES[current][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** A message key built at run time (`check.${name}`); falls back to the key itself when the dictionary lacks it. */
export function tDynamic(key: string, values: Record<string, string | number> = {}): string {
  return key in en ? t(key as MessageKey, values) : key;
}

/** Unix seconds as a date and time in the current language (in the visitor's time zone). */
export function formatTime(seconds: number): string {
  return new Intl.DateTimeFormat(current, { dateStyle: "medium", timeStyle: "short" }).format(new Date(seconds * 1000));
}

/** Unix seconds as a date in the current language. */
export function formatDate(seconds: number): string {
  return new Intl.DateTimeFormat(current, { dateStyle: "long" }).format(new Date(seconds * 1000));
}
