import browser from '../lib/browser'

browser.runtime.onInstalled.addListener(() => {
  console.log('installed')
})
