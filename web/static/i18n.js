// i18n.js: the message catalogue of the page and a tiny translator.
// Every text the UI shows comes from MESSAGES; the scripts hold no literals.
// Pages other than the viewer add their catalogues with VMS_I18N.extend().
// Placeholders are written {name} and filled by t(key, {name: value}).
'use strict';

(function () {
  // Keys are grouped by page area; another page adds its own groups with
  // VMS_I18N.extend({vi: {...}, en: {...}}) from a separate file (the
  // admin pages: i18n-admin.js). Both languages must hold every key (a
  // browser test checks it).
  const MESSAGES = {
    vi: {
      'app.title': 'Giám sát Bộ phận một cửa',
      'app.subtitle': 'Camera quầy tiếp nhận và trả kết quả',
      'app.province': 'Tỉnh Tây Ninh',
      'lang.label': 'Ngôn ngữ',
      'lang.vi': 'VI',
      'lang.en': 'EN',
      'lang.vi.long': 'Tiếng Việt',
      'lang.en.long': 'English',

      'nav.live': 'Xem trực tiếp',
      'nav.wall': 'Tường video',
      'nav.admin': 'Quản trị',
      'nav.label': 'Điều hướng',
      'auth.logout': 'Đăng xuất',
      'auth.password': 'Đổi mật khẩu',
      'auth.user': 'Tài khoản',

      'role.admin': 'Quản trị (Sở TT&TT)',
      'role.province': 'Ban chỉ đạo tỉnh',
      'role.district': 'UBND huyện',
      'role.police': 'Công an huyện',
      'role.commune': 'UBND xã',

      'login.title': 'Đăng nhập hệ thống',
      'login.required': 'Cần đăng nhập',
      'login.hint': 'Vui lòng đăng nhập để xem camera.',
      'login.expired': 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
      'login.loggedOut': 'Bạn đã đăng xuất.',
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
      'login.footer': 'Hệ thống giám sát camera Bộ phận tiếp nhận và trả kết quả',

      'pw.title': 'Đổi mật khẩu',
      'pw.mustChange': 'Đây là lần đăng nhập đầu tiên. Vui lòng đặt mật khẩu mới trước khi tiếp tục.',
      'pw.old': 'Mật khẩu hiện tại',
      'pw.new': 'Mật khẩu mới',
      'pw.confirm': 'Nhập lại mật khẩu mới',
      'pw.submit': 'Đổi mật khẩu',
      'pw.cancel': 'Huỷ',
      'pw.mismatch': 'Hai mật khẩu mới không khớp.',
      'pw.missing': 'Vui lòng điền đủ các ô.',
      'pw.same': 'Mật khẩu mới phải khác mật khẩu hiện tại.',
      'pw.wrongOld': 'Mật khẩu hiện tại không đúng.',
      'pw.rejected': 'Mật khẩu mới không được chấp nhận: {text}',
      'pw.failed': 'Không đổi được mật khẩu (mã {status}).',
      'pw.done': 'Đã đổi mật khẩu.',

      'nav.search': 'Tìm camera hoặc đơn vị…',
      'nav.searchLabel': 'Tìm kiếm',
      'nav.units': 'Đơn vị',
      'nav.cameras': 'Camera',
      'nav.all': 'Tất cả',
      'nav.noResults': 'Không tìm thấy camera nào khớp với “{q}”.',
      'nav.searchTitle': 'Tìm kiếm: “{q}”',
      'nav.offlineCount': '{n} camera mất kết nối',
      'nav.expand': 'Mở rộng',
      'nav.collapse': 'Thu gọn',
      'nav.countTitle': '{n} camera, {on} đang trực tuyến',
      'nav.hint': 'Bấm để mở trong ô trống, hoặc kéo vào một ô.',

      'list.loading': 'Đang tải danh sách camera…',
      'list.empty': 'Đơn vị này chưa có camera.',
      'list.error': 'Không tải được danh sách camera (mã {status}). Đang thử lại…',
      'list.network': 'Mất kết nối tới máy chủ. Đang thử lại…',
      'list.count': '{n} camera',
      'list.disabled': 'Đã tắt',
      'list.live': 'Cập nhật trực tiếp',
      'list.polling': 'Cập nhật mỗi 5 giây',
      'list.reconnecting': 'Đang kết nối lại máy chủ…',

      'status.idle': 'Chờ',
      'status.connecting': 'Đang kết nối',
      'status.online': 'Trực tuyến',
      'status.offline': 'Mất kết nối',
      'status.error': 'Lỗi',
      'status.disabled': 'Đã tắt',
      'status.unknown': 'Không rõ',

      'grid.layout': 'Bố cục',
      'grid.layout.n': '{n} ô',
      'grid.clear': 'Xoá hết',
      'grid.clearTitle': 'Đóng tất cả các ô',
      'grid.empty': 'Kéo camera vào đây hoặc bấm vào camera trong danh sách',
      'grid.emptyShort': 'Ô trống',
      'grid.selectHint': 'Ô đang chọn',

      'tile.live': 'Trực tiếp',
      'tile.connecting': 'Đang kết nối…',
      'tile.waiting': 'Đang chờ hình ảnh…',
      'tile.offline': 'Mất kết nối',
      'tile.error': 'Không xem được',
      'tile.retryIn': 'Tự động thử lại sau {s} giây',
      'tile.retrying': 'Đang thử lại…',
      'tile.info': 'Thông tin camera',
      'tile.fullscreen': 'Toàn màn hình (bấm đúp)',
      'tile.close': 'Đóng ô này',
      'tile.sub': 'Luồng phụ',
      'tile.main': 'Luồng chính',
      'why.offline': 'Camera đang mất kết nối. Hệ thống sẽ tự kết nối lại khi camera hoạt động trở lại.',
      'why.camera_error': 'Camera từ chối kết nối (sai mật khẩu, sai đường dẫn hoặc định dạng không hỗ trợ). Vui lòng báo bộ phận kỹ thuật.',
      'why.codec': 'Trình duyệt này không giải mã được định dạng video của camera (H.265/HEVC). Cần đặt camera sang H.264, hoặc dùng trình duyệt hỗ trợ H.265.',
      'why.codecH264': 'Trình duyệt này chưa phát được video H.264 qua WebRTC. Với Firefox: bật trình cắm “OpenH264 Video Codec do Cisco cung cấp” (Tiện ích và giao diện › Trình cắm); hoặc dùng Chrome, Edge, Chromium.',
      'why.bframes': 'Camera đang gửi khung hình B: trình duyệt chỉ hiện được ảnh tĩnh cách quãng. Cần tắt khung hình B (B-frames) trong cài đặt camera.',
      'why.forbidden': 'Bạn không có quyền xem camera này, hoặc camera đã bị xoá.',
      'why.network': 'Mạng đang chặn kết nối video (WebRTC). Vui lòng báo bộ phận kỹ thuật kiểm tra tường lửa.',
      'why.nodata': 'Không nhận được hình ảnh trong {s} giây.',
      'why.server': 'Không kết nối được tới máy chủ.',
      'why.busy': 'Camera đã đủ số người xem tối đa. Hệ thống sẽ thử lại sau.',
      'why.webrtc_unsupported': 'Trình duyệt này không hỗ trợ WebRTC nên không thể xem camera.',
      'why.browser': 'Trình duyệt không thiết lập được kết nối video.',
      'why.disabled': 'Camera đã bị tắt bởi quản trị viên.',
      'why.unknown': 'Không phát được video (mã {status}).',
      'why.serverSays': 'Chi tiết: {text}',
      'reason.auth': 'Camera từ chối tên đăng nhập hoặc mật khẩu. Kiểm tra lại tài khoản của camera.',
      'reason.path': 'Camera không có luồng ở đường dẫn này. Kiểm tra phần đường dẫn của địa chỉ (ví dụ /Streaming/Channels/101).',
      'reason.transport': 'Camera không chấp nhận giao thức truyền đã chọn. Hãy chọn “Tự động”.',
      'reason.refused': 'Camera từ chối kết nối: sai cổng, hoặc camera chưa bật dịch vụ RTSP.',
      'reason.host': 'Không tìm thấy tên máy của camera. Kiểm tra lại địa chỉ.',
      'reason.unreachable': 'Không có đường mạng tới camera. Kiểm tra mạng, VPN hoặc tường lửa.',
      'reason.tls': 'Chứng chỉ TLS của camera không được tin cậy hoặc không khớp dấu vân tay đã nhập.',
      'reason.codec': 'Luồng của camera không có video H.264 hoặc H.265.',
      'reason.keyframe': 'Camera không gửi khung hình chính kịp thời. Kiểm tra cấu hình mã hoá (GOP) của camera.',
      'reason.timeout': 'Camera không trả lời kịp thời: sai địa chỉ IP, camera tắt, hoặc mạng bị chặn.',
      'reason.dropped': 'Camera ngắt kết nối giữa chừng.',

      'views.label': 'Chế độ xem',
      'views.none': '— Chế độ xem đã lưu —',
      'views.save': 'Lưu',
      'views.saveTitle': 'Lưu bố cục hiện tại',
      'views.delete': 'Xoá',
      'views.deleteTitle': 'Xoá chế độ xem đang mở',
      'views.name': 'Tên chế độ xem',
      'views.saveAs': 'Lưu chế độ xem',
      'views.cancel': 'Huỷ',
      'views.confirm': 'Lưu',
      'views.duplicate': 'Đã có chế độ xem tên này.',
      'views.nameMissing': 'Vui lòng nhập tên.',
      'views.failed': 'Không lưu được (mã {status}).',
      'views.invalid': 'Không lưu được: {text}',
      'views.unavailable': 'Máy chủ chưa hỗ trợ lưu chế độ xem.',
      'views.deleteConfirm': 'Xoá chế độ xem “{name}”?',
      'views.saved': 'Đã lưu “{name}”.',
      'views.deleted': 'Đã xoá “{name}”.',
      'views.overwrite': 'Ghi đè “{name}”',

      'cam.title': 'Thông tin camera',
      'cam.back': '← Quay lại xem trực tiếp',
      'cam.notFound': 'Không tìm thấy camera, hoặc bạn không có quyền xem camera này.',
      'cam.loading': 'Đang tải…',
      'cam.unit': 'Đơn vị',
      'cam.state': 'Trạng thái',
      'cam.since': 'Từ lúc',
      'cam.reason': 'Lỗi gần nhất',
      'cam.codec': 'Định dạng',
      'cam.profile': 'Profile',
      'cam.resolution': 'Độ phân giải',
      'cam.fps': 'Tốc độ khung hình',
      'cam.bitrate': 'Tốc độ bit',
      'cam.viewers': 'Người đang xem',
      'cam.reconnects': 'Số lần kết nối lại',
      'cam.dropped': 'Khung hình bị bỏ',
      'cam.frames': 'Khung hình đã nhận',
      'cam.transport': 'Giao thức',
      'cam.lastFrame': 'Khung hình cuối',
      'cam.audio': 'Âm thanh',
      'cam.warnings': 'Cảnh báo',
      'cam.ignored': 'Luồng bị bỏ qua',
      'cam.substream': 'Luồng phụ',
      'cam.yes': 'Có',
      'cam.no': 'Không',
      'cam.history': 'Lịch sử trạng thái',
      'cam.noHistory': 'Chưa có lịch sử trạng thái.',
      'cam.at': 'Thời điểm',
      'cam.why': 'Lý do',
      'cam.details': 'Thông số',
      'cam.open': 'Xem trong lưới',

      'wall.title': 'Tường video',
      'wall.page': 'Trang {n}/{total}',
      'wall.empty': 'Không có camera nào trong phạm vi.',
      'wall.view': 'Chế độ xem: {name}',
      'wall.offline': 'MẤT KẾT NỐI',

      'none': '—',
      'unit.fps': '{v} khung/giây',
      'unit.kbps': '{v} kbit/giây',
      'unit.mbps': '{v} Mbit/giây',
      'unit.resolution': '{w} × {h}',
    },
    en: {
      'app.title': 'One-stop-shop counter monitoring',
      'app.subtitle': 'Reception and result counter cameras',
      'app.province': 'Tây Ninh province',
      'lang.label': 'Language',
      'lang.vi': 'VI',
      'lang.en': 'EN',
      'lang.vi.long': 'Tiếng Việt',
      'lang.en.long': 'English',

      'nav.live': 'Live view',
      'nav.wall': 'Video wall',
      'nav.admin': 'Administration',
      'nav.label': 'Navigation',
      'auth.logout': 'Log out',
      'auth.password': 'Change password',
      'auth.user': 'Account',

      'role.admin': 'Administrator (IT Department)',
      'role.province': 'Provincial steering committee',
      'role.district': 'District People’s Committee',
      'role.police': 'District police',
      'role.commune': 'Commune People’s Committee',

      'login.title': 'Sign in',
      'login.required': 'Login required',
      'login.hint': 'Please log in to watch the cameras.',
      'login.expired': 'Your session has expired. Please log in again.',
      'login.loggedOut': 'You have logged out.',
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
      'login.footer': 'Camera monitoring of the reception and result counters',

      'pw.title': 'Change password',
      'pw.mustChange': 'This is your first login. Please set a new password before you continue.',
      'pw.old': 'Current password',
      'pw.new': 'New password',
      'pw.confirm': 'Repeat the new password',
      'pw.submit': 'Change password',
      'pw.cancel': 'Cancel',
      'pw.mismatch': 'The two new passwords differ.',
      'pw.missing': 'Please fill in every field.',
      'pw.same': 'The new password must differ from the current one.',
      'pw.wrongOld': 'The current password is wrong.',
      'pw.rejected': 'The new password was refused: {text}',
      'pw.failed': 'Could not change the password (status {status}).',
      'pw.done': 'Password changed.',

      'nav.search': 'Search a camera or unit…',
      'nav.searchLabel': 'Search',
      'nav.units': 'Units',
      'nav.cameras': 'Cameras',
      'nav.all': 'All',
      'nav.noResults': 'No camera matches “{q}”.',
      'nav.searchTitle': 'Search: “{q}”',
      'nav.offlineCount': '{n} cameras offline',
      'nav.expand': 'Expand',
      'nav.collapse': 'Collapse',
      'nav.countTitle': '{n} cameras, {on} online',
      'nav.hint': 'Click to open in a free tile, or drag onto a tile.',

      'list.loading': 'Loading cameras…',
      'list.empty': 'This unit has no cameras.',
      'list.error': 'Could not load the cameras (status {status}). Retrying…',
      'list.network': 'Lost contact with the server. Retrying…',
      'list.count': '{n} cameras',
      'list.disabled': 'Disabled',
      'list.live': 'Live updates',
      'list.polling': 'Updated every 5 s',
      'list.reconnecting': 'Reconnecting to the server…',

      'status.idle': 'Standby',
      'status.connecting': 'Connecting',
      'status.online': 'Online',
      'status.offline': 'Offline',
      'status.error': 'Error',
      'status.disabled': 'Disabled',
      'status.unknown': 'Unknown',

      'grid.layout': 'Layout',
      'grid.layout.n': '{n} tiles',
      'grid.clear': 'Clear',
      'grid.clearTitle': 'Close every tile',
      'grid.empty': 'Drag a camera here or click one in the list',
      'grid.emptyShort': 'Empty tile',
      'grid.selectHint': 'Selected tile',

      'tile.live': 'Live',
      'tile.connecting': 'Connecting…',
      'tile.waiting': 'Waiting for the picture…',
      'tile.offline': 'Offline',
      'tile.error': 'Cannot play',
      'tile.retryIn': 'Retrying automatically in {s} s',
      'tile.retrying': 'Retrying…',
      'tile.info': 'Camera details',
      'tile.fullscreen': 'Full screen (double-click)',
      'tile.close': 'Close this tile',
      'tile.sub': 'Sub-stream',
      'tile.main': 'Main stream',
      'why.offline': 'The camera is offline. The system reconnects by itself when the camera is back.',
      'why.camera_error': 'The camera refuses the connection (wrong password, wrong path or unsupported format). Please tell the IT department.',
      'why.codec': 'This browser cannot decode the camera\'s video format (H.265/HEVC). Set the camera to H.264, or use a browser that supports H.265.',
      'why.codecH264': 'This browser cannot play H.264 video over WebRTC yet. In Firefox, enable the “OpenH264 Video Codec provided by Cisco” plugin (Add-ons and themes › Plugins); or use Chrome, Edge or Chromium.',
      'why.bframes': 'The camera sends B-frames: the browser can only show an occasional still picture. Turn B-frames off in the camera\'s settings.',
      'why.forbidden': 'You are not allowed to watch this camera, or it was deleted.',
      'why.network': 'The network is blocking the video connection (WebRTC). Please ask the IT department to check the firewall.',
      'why.nodata': 'No picture received for {s} seconds.',
      'why.server': 'Cannot reach the server.',
      'why.busy': 'The camera has reached its maximum number of viewers. The system retries later.',
      'why.webrtc_unsupported': 'This browser does not support WebRTC, so cameras cannot be watched.',
      'why.browser': 'The browser could not set up the video connection.',
      'why.disabled': 'The camera was disabled by an administrator.',
      'why.unknown': 'Cannot play the video (status {status}).',
      'why.serverSays': 'Details: {text}',
      'reason.auth': 'The camera refused the user name or password. Check the camera account.',
      'reason.path': 'The camera has no stream at this path. Check the path part of the address (e.g. /Streaming/Channels/101).',
      'reason.transport': 'The camera does not accept the chosen transport. Choose “Automatic”.',
      'reason.refused': 'The camera refused the connection: wrong port, or RTSP is not enabled on the camera.',
      'reason.host': 'The camera’s host name was not found. Check the address.',
      'reason.unreachable': 'No network route to the camera. Check the network, VPN or firewall.',
      'reason.tls': 'The camera’s TLS certificate is not trusted or does not match the fingerprint.',
      'reason.codec': 'The camera’s stream has no H.264 or H.265 video.',
      'reason.keyframe': 'The camera sent no keyframe in time. Check its encoder (GOP) settings.',
      'reason.timeout': 'The camera did not answer in time: wrong IP address, camera off, or the network is blocked.',
      'reason.dropped': 'The camera dropped the connection.',

      'views.label': 'Views',
      'views.none': '— Saved views —',
      'views.save': 'Save',
      'views.saveTitle': 'Save the current layout',
      'views.delete': 'Delete',
      'views.deleteTitle': 'Delete the open view',
      'views.name': 'View name',
      'views.saveAs': 'Save view',
      'views.cancel': 'Cancel',
      'views.confirm': 'Save',
      'views.duplicate': 'A view with this name already exists.',
      'views.nameMissing': 'Please enter a name.',
      'views.failed': 'Could not save (status {status}).',
      'views.invalid': 'Could not save: {text}',
      'views.unavailable': 'The server cannot save views yet.',
      'views.deleteConfirm': 'Delete the view “{name}”?',
      'views.saved': 'Saved “{name}”.',
      'views.deleted': 'Deleted “{name}”.',
      'views.overwrite': 'Overwrite “{name}”',

      'cam.title': 'Camera details',
      'cam.back': '← Back to live view',
      'cam.notFound': 'Camera not found, or you are not allowed to see it.',
      'cam.loading': 'Loading…',
      'cam.unit': 'Unit',
      'cam.state': 'Status',
      'cam.since': 'Since',
      'cam.reason': 'Last error',
      'cam.codec': 'Codec',
      'cam.profile': 'Profile',
      'cam.resolution': 'Resolution',
      'cam.fps': 'Frame rate',
      'cam.bitrate': 'Bitrate',
      'cam.viewers': 'Viewers now',
      'cam.reconnects': 'Reconnects',
      'cam.dropped': 'Dropped frames',
      'cam.frames': 'Frames received',
      'cam.transport': 'Transport',
      'cam.lastFrame': 'Last frame',
      'cam.audio': 'Audio',
      'cam.warnings': 'Warnings',
      'cam.ignored': 'Ignored tracks',
      'cam.substream': 'Sub-stream',
      'cam.yes': 'Yes',
      'cam.no': 'No',
      'cam.history': 'State history',
      'cam.noHistory': 'No state history yet.',
      'cam.at': 'Time',
      'cam.why': 'Reason',
      'cam.details': 'Details',
      'cam.open': 'Watch in the grid',

      'wall.title': 'Video wall',
      'wall.page': 'Page {n}/{total}',
      'wall.empty': 'There are no cameras in scope.',
      'wall.view': 'View: {name}',
      'wall.offline': 'OFFLINE',

      'none': '—',
      'unit.fps': '{v} fps',
      'unit.kbps': '{v} kbit/s',
      'unit.mbps': '{v} Mbit/s',
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
    // A page names its title with <title data-i18n="…"> (handled above);
    // without one it gets the application's name.
    const title = document.querySelector('title');
    if (!title || !title.dataset.i18n) document.title = t('app.title');
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
