import type { ErrorCode } from '../../shared/contract';

/** One sentence per failure code: what happened and what to do. Every code, in both languages. */
export type ErrorWords = Readonly<Record<ErrorCode, string>>;

export const errorsEn: ErrorWords = {
  INVALID_INPUT: 'Something in the form is not valid. Check the highlighted fields and try again.',
  PROFILE_NOT_FOUND: 'That profile no longer exists. It may have been removed from another window or the command line.',
  PROFILE_EXISTS: 'A profile with this name already exists. Choose another name.',
  NO_ACTIVE_PROFILE: 'No profile is active. Pick one in the list.',
  NOT_SIGNED_IN: 'This profile is not signed in. Sign in to use it.',
  STORE_CORRUPT: 'The profiles file is damaged. Restore it from a backup or remove it to start again.',
  STORE_LOCKED: 'Another program is changing the profiles right now. Try again in a moment.',
  STORE_IO: 'The profiles file could not be read or written. Check the folder’s permissions and free space.',
  STORE_NEWER_VERSION: 'The profiles file was written by a newer version of this app. Update the app to use it.',
  KEYCHAIN_UNAVAILABLE:
    'The system keychain is not available, so sign-ins cannot be kept. Start or install a keychain service.',
  KEYCHAIN_LOCKED: 'The system keychain is locked. Unlock it and try again.',
  KEYCHAIN_ERROR: 'The system keychain refused the request. Try again, or check the keychain app.',
  ACCESS_DENIED: 'The sign-in was refused in the browser, so nothing was stored. Try again if that was a mistake.',
  AUTH_ERROR: 'The site refused the sign-in. Check the profile’s application settings and try again.',
  STATE_MISMATCH: 'The browser answered for a different sign-in. Start the sign-in again from this window.',
  CALLBACK_INVALID: 'The answer from the browser could not be read. Start the sign-in again.',
  SIGNIN_TIMEOUT: 'The sign-in did not finish in time. Start it again when you are ready.',
  SIGNIN_CANCELLED: 'The sign-in was cancelled.',
  SIGNIN_IN_PROGRESS: 'A sign-in for this profile is already under way. Finish it in the browser, or cancel it first.',
  PORTS_IN_USE: 'The local ports for the sign-in are all in use. Close the program using them, or pick other ports.',
  ID_TOKEN_INVALID:
    'The site’s identity token failed its checks, so nothing was stored. Check the issuer and your clock.',
  INVALID_GRANT: 'The site no longer accepts this sign-in (revoked, expired or used elsewhere). Sign in again.',
  TOKEN_ERROR: 'The site refused to issue tokens. Check the profile’s application settings.',
  NETWORK: 'The site could not be reached. Check your network, proxy and certificates, then try again.',
  SERVER_ERROR: 'The site had a problem on its side. Try again in a few minutes.',
  BAD_RESPONSE: 'The site sent an answer this app does not understand. Try again later.',
  EXCHANGE_NOT_ALLOWED: 'This sign-in may not get temporary credentials. The application needs the STS scope.',
  EXCHANGE_FAILED: 'Temporary credentials could not be obtained. Sign in again and retry.',
  OSS_SECURITY_TOKEN_EXPIRED: 'The temporary credentials ran out while listing. Refresh to get new ones.',
  OSS_ACCESS_DENIED: 'OSS refused to list buckets: this identity lacks the RAM permission oss:ListBuckets.',
  OSS_INVALID_ACCESS_KEY: 'OSS did not recognise the temporary credentials. Sign in again and refresh.',
  OSS_SIGNATURE_MISMATCH: 'OSS rejected the request signature. Check the region and OSS endpoint of the profile.',
  OSS_CLOCK_SKEW: 'OSS refused the request because this computer’s clock is off. Turn on automatic date and time.',
  OSS_ERROR: 'OSS answered with an error. Try again, or check the OSS endpoint of the profile.',
  OSS_BAD_RESPONSE: 'OSS sent an answer this app does not understand. Check the OSS endpoint of the profile.',
  ROLE_NOT_ASSUMABLE:
    'The role could not be assumed: it does not exist, or it does not trust the identity this profile comes from.',
  ROLE_DURATION_TOO_LONG:
    'The session duration is longer than the role allows (a role assumed from another role: at most one hour).',
  ROLE_CYCLE:
    'These role profiles take their credentials from each other in a loop. Point one of them at a signed-in profile.',
  ROLE_SOURCE_IN_USE: 'Other role profiles get their credentials from this profile. Remove them first.',
  BROKER_UNAVAILABLE: 'The credential broker for the command line is not running. Restart the app.',
  BROKER_UNTRUSTED:
    'The credential broker’s socket or folder does not belong to you alone, or the program there did not prove it is the broker. Nothing was sent to it. Stop the broker and start it again.',
  CLI_CONFIG_DRIFT:
    'A profile of the aliyun CLI that gets credentials from this app was changed by another program. Repair it with: alicloud-signin cli-config status --fix',
  CLI_CONFIG_LINK_BROKEN:
    'The aliyun CLI’s config.json is a symbolic link to a file that does not exist, or links lead in a circle. Fix the link; nothing was changed.',
  EXEC_NESTED:
    'This command already runs inside alicloud-signin exec for another profile. Leave that shell first, or add --force.',
  REQUEST_SUPERSEDED: 'A newer request of the same kind replaced this one; its answer is the one shown.',
  OPERATION_CANCELLED:
    'This was stopped before it finished (the profile was signed out or removed, or the app is closing).',
  SENDER_REFUSED: 'The app refused a request that did not come from its own window.',
  INTERNAL: 'Something unexpected went wrong. Try again; if it keeps happening, report it with the code below.',
};

export const errorsZh: ErrorWords = {
  INVALID_INPUT: '表单中有内容无效。请检查标出的字段后重试。',
  PROFILE_NOT_FOUND: '该配置已不存在，可能已在其他窗口或命令行中删除。',
  PROFILE_EXISTS: '已有同名配置。请换一个名称。',
  NO_ACTIVE_PROFILE: '当前没有活动配置。请在列表中选择一个。',
  NOT_SIGNED_IN: '该配置尚未登录。请先登录。',
  STORE_CORRUPT: '配置文件已损坏。请从备份恢复，或删除后重新开始。',
  STORE_LOCKED: '另一个程序正在修改配置。请稍后重试。',
  STORE_IO: '无法读写配置文件。请检查文件夹权限和磁盘空间。',
  STORE_NEWER_VERSION: '配置文件由更新版本的应用写入。请更新本应用后再使用。',
  KEYCHAIN_UNAVAILABLE: '系统钥匙串不可用，无法保存登录。请启动或安装钥匙串服务。',
  KEYCHAIN_LOCKED: '系统钥匙串已锁定。请解锁后重试。',
  KEYCHAIN_ERROR: '系统钥匙串拒绝了请求。请重试，或检查钥匙串应用。',
  ACCESS_DENIED: '已在浏览器中拒绝登录，未保存任何内容。如属误操作请重试。',
  AUTH_ERROR: '站点拒绝了登录。请检查该配置的应用设置后重试。',
  STATE_MISMATCH: '浏览器返回的是另一次登录的结果。请从本窗口重新开始登录。',
  CALLBACK_INVALID: '无法读取浏览器返回的结果。请重新开始登录。',
  SIGNIN_TIMEOUT: '登录未在限定时间内完成。准备好后请重新开始。',
  SIGNIN_CANCELLED: '登录已取消。',
  SIGNIN_IN_PROGRESS: '该配置已有一个登录正在进行。请在浏览器中完成，或先取消它。',
  PORTS_IN_USE: '登录所需的本地端口都被占用。请关闭占用端口的程序，或改用其他端口。',
  ID_TOKEN_INVALID: '站点的身份令牌未通过校验，未保存任何内容。请检查签发者和系统时钟。',
  INVALID_GRANT: '站点已不再接受此次登录（已撤销、过期或在别处使用）。请重新登录。',
  TOKEN_ERROR: '站点拒绝签发令牌。请检查该配置的应用设置。',
  NETWORK: '无法连接站点。请检查网络、代理和证书后重试。',
  SERVER_ERROR: '站点端出现问题。请几分钟后重试。',
  BAD_RESPONSE: '站点返回了本应用无法理解的内容。请稍后重试。',
  EXCHANGE_NOT_ALLOWED: '此次登录无法获取临时凭证。应用需要 STS 权限范围。',
  EXCHANGE_FAILED: '无法获取临时凭证。请重新登录后重试。',
  OSS_SECURITY_TOKEN_EXPIRED: '列举过程中临时凭证已过期。请刷新以获取新凭证。',
  OSS_ACCESS_DENIED: 'OSS 拒绝列举存储空间：该身份缺少 RAM 权限 oss:ListBuckets。',
  OSS_INVALID_ACCESS_KEY: 'OSS 无法识别临时凭证。请重新登录后刷新。',
  OSS_SIGNATURE_MISMATCH: 'OSS 拒绝了请求签名。请检查该配置的地域和 OSS 端点。',
  OSS_CLOCK_SKEW: '本机时钟偏差过大，OSS 拒绝了请求。请开启自动设置日期和时间。',
  OSS_ERROR: 'OSS 返回了错误。请重试，或检查该配置的 OSS 端点。',
  OSS_BAD_RESPONSE: 'OSS 返回了本应用无法理解的内容。请检查该配置的 OSS 端点。',
  ROLE_NOT_ASSUMABLE: '无法扮演该角色：角色不存在，或其信任策略不允许此配置的来源身份扮演。',
  ROLE_DURATION_TOO_LONG: '会话时长超出该角色允许的上限（由另一个角色扮演时最长一小时）。',
  ROLE_CYCLE: '这些角色配置相互作为凭证来源，形成了循环。请将其中一个指向已登录的配置。',
  ROLE_SOURCE_IN_USE: '其他角色配置从此配置获取凭证。请先删除它们。',
  BROKER_UNAVAILABLE: '命令行凭证代理未运行。请重启应用。',
  BROKER_UNTRUSTED:
    '凭证代理的套接字或文件夹不只属于你，或那里的程序未能证明自己是凭证代理。未向其发送任何内容。请停止凭证代理后重新启动。',
  CLI_CONFIG_DRIFT:
    '从本应用获取凭证的 aliyun CLI 配置被其他程序改动了。请运行 alicloud-signin cli-config status --fix 修复。',
  CLI_CONFIG_LINK_BROKEN:
    'aliyun CLI 的 config.json 是指向不存在文件的符号链接，或链接形成了循环。请修复该链接；未做任何更改。',
  EXEC_NESTED: '此命令已在 alicloud-signin exec 中以另一个配置运行。请先退出该 shell，或加上 --force。',
  REQUEST_SUPERSEDED: '同类的新请求取代了这一次；显示的是新请求的结果。',
  OPERATION_CANCELLED: '操作在完成前已停止（配置已退出登录或被删除，或应用正在关闭）。',
  SENDER_REFUSED: '应用拒绝了一个并非来自其自身窗口的请求。',
  INTERNAL: '发生了意外错误。请重试；如果反复出现，请附上下方代码报告问题。',
};
