// i18n.js: the message catalogue of the page and a tiny translator.
// Every text the UI shows comes from MESSAGES; app.js holds no literals.
// Placeholders are written {name} and filled by t(key, {name: value}).
'use strict';

(function () {
  const MESSAGES = {
    vi: {
      'app.title': 'Giám sát Bộ phận một cửa',
      'app.subtitle': 'Camera quầy tiếp nhận và trả kết quả',
      'lang.label': 'Ngôn ngữ',
      'lang.vi': 'VI',
      'lang.en': 'EN',
      'lang.vi.long': 'Tiếng Việt',
      'lang.en.long': 'English',
      'auth.logout': 'Đăng xuất',

      'login.required': 'Cần đăng nhập',
      'login.hint': 'Vui lòng đăng nhập để xem camera.',
      'login.expired': 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
      'login.username': 'Tên đăng nhập',
      'login.password': 'Mật khẩu',
      'login.submit': 'Đăng nhập',
      'login.submitting': 'Đang đăng nhập…',
      'login.bad': 'Sai tên đăng nhập hoặc mật khẩu.',
      'login.missing': 'Vui lòng nhập tên đăng nhập và mật khẩu.',
      'login.limited': 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.',
      'login.limitedAfter': 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {s} giây.',
      'login.failed': 'Không đăng nhập được (mã {status}).',
      'login.network': 'Không kết nối được tới máy chủ.',

      'list.title': 'Danh sách camera',
      'list.loading': 'Đang tải danh sách camera…',
      'list.empty': 'Chưa có camera nào.',
      'list.error': 'Không tải được danh sách camera (mã {status}). Đang thử lại…',
      'list.network': 'Mất kết nối tới máy chủ. Đang thử lại…',
      'list.count': '{n} camera',
      'list.disabled': 'Đã tắt',
      'list.watching': 'Đang xem',

      'status.idle': 'Chờ',
      'status.connecting': 'Đang kết nối',
      'status.online': 'Trực tuyến',
      'status.offline': 'Mất kết nối',
      'status.error': 'Lỗi',
      'status.unknown': 'Không rõ',

      'player.title': 'Xem trực tiếp',
      'player.choose': 'Chọn một camera trong danh sách để xem.',
      'player.connecting': 'Đang kết nối…',
      'player.reconnecting': 'Đang kết nối lại…',
      'player.retryIn': 'Tự động thử lại sau {s} giây.',
      'player.retrying': 'Đang thử lại…',
      'player.stop': 'Dừng xem',
      'player.retry': 'Thử lại',
      'player.why.failed': 'Kết nối WebRTC bị lỗi.',
      'player.why.disconnected': 'Kết nối WebRTC bị gián đoạn.',
      'player.why.stalled': 'Không nhận được hình ảnh trong 10 giây.',
      'player.serverSays': 'Máy chủ: {text}',

      'whep.codec_unsupported': 'Trình duyệt này không giải mã được định dạng video của camera (ví dụ H.265/HEVC). Hãy dùng trình duyệt khác hoặc đặt camera sang H.264.',
      'whep.camera_offline': 'Camera đang mất kết nối. Hệ thống sẽ tự thử lại.',
      'whep.camera_error': 'Camera từ chối kết nối (sai mật khẩu, sai đường dẫn hoặc định dạng không hỗ trợ). Hệ thống sẽ tự thử lại.',
      'whep.camera_connecting': 'Camera đang kết nối, vui lòng chờ…',
      'whep.camera_idle': 'Camera đang khởi động, vui lòng chờ…',
      'whep.too_many_viewers': 'Camera đã đủ số người xem tối đa. Vui lòng thử lại sau.',
      'whep.not_found': 'Không tìm thấy camera, hoặc bạn không có quyền xem camera này.',
      'whep.unauthorized': 'Cần đăng nhập để xem camera.',
      'whep.forbidden': 'Bạn không có quyền xem camera này.',
      'whep.bad_offer': 'Máy chủ không chấp nhận yêu cầu kết nối của trình duyệt. Hãy tải lại trang hoặc dùng trình duyệt khác.',
      'whep.bad_content_type': 'Yêu cầu kết nối không hợp lệ. Hãy tải lại trang.',
      'whep.offer_too_large': 'Yêu cầu kết nối quá lớn. Hãy tải lại trang.',
      'whep.internal': 'Lỗi máy chủ. Hệ thống sẽ tự thử lại.',
      'whep.network': 'Không kết nối được tới máy chủ. Hệ thống sẽ tự thử lại.',
      'whep.webrtc_unsupported': 'Trình duyệt này không hỗ trợ WebRTC nên không thể xem camera.',
      'whep.webrtc_failed': 'Trình duyệt không thiết lập được kết nối video.',
      'whep.answer_rejected': 'Trình duyệt không chấp nhận phản hồi của máy chủ (có thể do định dạng video không hỗ trợ).',
      'whep.unknown': 'Không phát được video (mã {status}).',

      'info.name': 'Camera',
      'info.unit': 'Đơn vị',
      'info.state': 'Trạng thái',
      'info.codec': 'Định dạng',
      'info.resolution': 'Độ phân giải',
      'info.fps': 'Tốc độ khung hình',
      'info.bitrate': 'Tốc độ bit',
      'info.viewers': 'Người xem',
      'info.ttff': 'Thời gian đến khung hình đầu',
      'info.audio': 'Âm thanh',
      'info.none': '—',
      'unit.fps': '{v} khung/giây',
      'unit.kbps': '{v} kbit/giây',
      'unit.mbps': '{v} Mbit/giây',
      'unit.ms': '{v} ms',
      'unit.resolution': '{w} × {h}',
    },
    en: {
      'app.title': 'One-stop-shop counter monitoring',
      'app.subtitle': 'Reception and result counter cameras',
      'lang.label': 'Language',
      'lang.vi': 'VI',
      'lang.en': 'EN',
      'lang.vi.long': 'Tiếng Việt',
      'lang.en.long': 'English',
      'auth.logout': 'Log out',

      'login.required': 'Login required',
      'login.hint': 'Please log in to watch the cameras.',
      'login.expired': 'Your session has expired. Please log in again.',
      'login.username': 'Username',
      'login.password': 'Password',
      'login.submit': 'Log in',
      'login.submitting': 'Logging in…',
      'login.bad': 'Wrong username or password.',
      'login.missing': 'Please enter your username and password.',
      'login.limited': 'Too many failed attempts. Please try again later.',
      'login.limitedAfter': 'Too many failed attempts. Please try again in {s} seconds.',
      'login.failed': 'Could not log in (status {status}).',
      'login.network': 'Cannot reach the server.',

      'list.title': 'Cameras',
      'list.loading': 'Loading cameras…',
      'list.empty': 'There are no cameras yet.',
      'list.error': 'Could not load the cameras (status {status}). Retrying…',
      'list.network': 'Lost contact with the server. Retrying…',
      'list.count': '{n} cameras',
      'list.disabled': 'Disabled',
      'list.watching': 'Watching',

      'status.idle': 'Idle',
      'status.connecting': 'Connecting',
      'status.online': 'Online',
      'status.offline': 'Offline',
      'status.error': 'Error',
      'status.unknown': 'Unknown',

      'player.title': 'Live view',
      'player.choose': 'Choose a camera from the list to watch it.',
      'player.connecting': 'Connecting…',
      'player.reconnecting': 'Reconnecting…',
      'player.retryIn': 'Retrying automatically in {s} s.',
      'player.retrying': 'Retrying…',
      'player.stop': 'Stop',
      'player.retry': 'Retry',
      'player.why.failed': 'The WebRTC connection failed.',
      'player.why.disconnected': 'The WebRTC connection was interrupted.',
      'player.why.stalled': 'No picture received for 10 seconds.',
      'player.serverSays': 'Server: {text}',

      'whep.codec_unsupported': 'This browser cannot decode the camera\'s video format (for example H.265/HEVC). Use another browser or set the camera to H.264.',
      'whep.camera_offline': 'The camera is offline. The system keeps retrying.',
      'whep.camera_error': 'The camera refuses the connection (wrong password, wrong path or unsupported format). The system keeps retrying.',
      'whep.camera_connecting': 'The camera is connecting, please wait…',
      'whep.camera_idle': 'The camera is starting, please wait…',
      'whep.too_many_viewers': 'The camera has reached its maximum number of viewers. Please try again later.',
      'whep.not_found': 'Camera not found, or you are not allowed to watch it.',
      'whep.unauthorized': 'You must log in to watch cameras.',
      'whep.forbidden': 'You are not allowed to watch this camera.',
      'whep.bad_offer': 'The server rejected the browser\'s connection request. Reload the page or use another browser.',
      'whep.bad_content_type': 'Invalid connection request. Reload the page.',
      'whep.offer_too_large': 'The connection request is too large. Reload the page.',
      'whep.internal': 'Server error. The system keeps retrying.',
      'whep.network': 'Cannot reach the server. The system keeps retrying.',
      'whep.webrtc_unsupported': 'This browser does not support WebRTC, so cameras cannot be watched.',
      'whep.webrtc_failed': 'The browser could not set up the video connection.',
      'whep.answer_rejected': 'The browser rejected the server\'s answer (the video format may be unsupported).',
      'whep.unknown': 'Cannot play the video (status {status}).',

      'info.name': 'Camera',
      'info.unit': 'Unit',
      'info.state': 'Status',
      'info.codec': 'Codec',
      'info.resolution': 'Resolution',
      'info.fps': 'Frame rate',
      'info.bitrate': 'Bitrate',
      'info.viewers': 'Viewers',
      'info.ttff': 'Time to first frame',
      'info.audio': 'Audio',
      'info.none': '—',
      'unit.fps': '{v} fps',
      'unit.kbps': '{v} kbit/s',
      'unit.mbps': '{v} Mbit/s',
      'unit.ms': '{v} ms',
      'unit.resolution': '{w} × {h}',
    },
  };

  const LANGS = ['vi', 'en'];
  const LOCALES = { vi: 'vi-VN', en: 'en-GB' };
  const STORAGE_KEY = 'vms.lang';
  const listeners = [];

  let lang = 'vi';
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (LANGS.includes(saved)) lang = saved;
  } catch (_) {
    // Storage may be disabled; Vietnamese stays the default.
  }

  // t returns the text of key in the current language (Vietnamese, then
  // the key itself, as fallbacks) with {placeholders} filled from params.
  function t(key, params) {
    let s = MESSAGES[lang][key];
    if (s === undefined) s = MESSAGES.vi[key];
    if (s === undefined) return key;
    if (params) {
      s = s.replace(/\{(\w+)\}/g, (m, name) =>
        Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m);
    }
    return s;
  }

  // apply translates the static markup under root: data-i18n sets the text,
  // data-i18n-placeholder, data-i18n-aria-label and data-i18n-title set
  // those attributes.
  function apply(root) {
    const scope = root || document;
    scope.querySelectorAll('[data-i18n]').forEach((el) => {
      el.textContent = t(el.dataset.i18n);
    });
    scope.querySelectorAll('[data-i18n-placeholder]').forEach((el) => {
      el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder));
    });
    scope.querySelectorAll('[data-i18n-aria-label]').forEach((el) => {
      el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
    });
    scope.querySelectorAll('[data-i18n-title]').forEach((el) => {
      el.setAttribute('title', t(el.dataset.i18nTitle));
    });
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }

  // setLang switches the language, remembers it in localStorage and tells
  // every onChange listener.
  function setLang(next) {
    if (!LANGS.includes(next) || next === lang) return;
    lang = next;
    try {
      window.localStorage.setItem(STORAGE_KEY, lang);
    } catch (_) {
      // Not remembered; the switch still applies to this page.
    }
    apply(document);
    listeners.forEach((fn) => fn(lang));
  }

  // extend merges more catalogues into MESSAGES, e.g. the admin pages'
  // (web/static/i18n-admin.js): VMS_I18N.extend({vi: {...}, en: {...}}).
  // A key already defined is overwritten (last one wins); every language
  // given must be one of LANGS. It returns the keys added, and re-applies
  // the page's markup if the document has loaded.
  function extend(catalogues) {
    const added = [];
    if (!catalogues || typeof catalogues !== 'object') return added;
    Object.keys(catalogues).forEach((l) => {
      if (!LANGS.includes(l)) throw new Error('VMS_I18N.extend: unknown language ' + l);
      const src = catalogues[l] || {};
      Object.keys(src).forEach((k) => {
        if (typeof src[k] !== 'string') throw new Error('VMS_I18N.extend: ' + l + '.' + k + ' is not a string');
        if (!Object.prototype.hasOwnProperty.call(MESSAGES[l], k) && l === 'vi') added.push(k);
        MESSAGES[l][k] = src[k];
      });
    });
    if (document.readyState !== 'loading') apply(document);
    return added;
  }

  // missing lists keys present in one language and absent from another
  // (used by the tests): [{lang, key}].
  function missing() {
    const all = new Set();
    LANGS.forEach((l) => Object.keys(MESSAGES[l]).forEach((k) => all.add(k)));
    const out = [];
    all.forEach((k) => LANGS.forEach((l) => {
      if (typeof MESSAGES[l][k] !== 'string' || MESSAGES[l][k] === '') out.push({ lang: l, key: k });
    }));
    return out;
  }

  window.VMS_I18N = Object.freeze({
    MESSAGES,
    extend,
    missing,
    has: (key) => Object.prototype.hasOwnProperty.call(MESSAGES.vi, key) &&
      Object.prototype.hasOwnProperty.call(MESSAGES.en, key),
    LANGS,
    t,
    apply,
    setLang,
    lang: () => lang,
    locale: () => LOCALES[lang],
    onChange: (fn) => listeners.push(fn),
  });
})();
