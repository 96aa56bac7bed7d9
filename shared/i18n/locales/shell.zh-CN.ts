import type { ShellMessages } from './shell.en-US';

/** Electron 外壳（主进程对话框）的简体中文文字。 */
export const shellZhCN: ShellMessages = {
  startFailedTitle: 'CallDesk 无法启动',
  dbTooNew: '本地数据库由更新版本的 CallDesk 写入，已保持原样未做任何修改。请重新安装较新的版本，或联系 IT 部门。',
  configInvalid: '配置无效。请更正（策略文件、环境变量或设置）后重新启动 CallDesk。',
  dbError: '无法打开本地数据库。',
  unknown: '发生意外错误，CallDesk 已停止。',
  details: '详细信息',
  dataFolder: '数据文件夹',
  logFile: '日志文件',
};
